import Foundation
@testable import LumenTensor
import LumenTestSupport
import Testing

/// bfloat16 mixed precision: the rounding, which results are stored at half the
/// bytes, convolution products of bfloat16 operands, and gradients that follow float32's.
@Suite struct MixedPrecisionTests {
    func random(_ shape: Shape, seed: UInt64, in range: ClosedRange<Float> = -1...1) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor.uniform(shape: shape, in: range, using: &generator)
    }

    /// The nearest bfloat16 by distance, ties to the even one: an independent reference.
    func nearestBFloat16(_ value: Float) -> Float {
        if value.isNaN || value.isInfinite { return value }
        let below = Float(bitPattern: value.bitPattern & 0xFFFF_0000)
        let above = Float(bitPattern: (value.bitPattern & 0xFFFF_0000) &+ 0x1_0000)  // next one away from zero
        // Past the largest bfloat16 comes infinity, which rounding treats as 2^128.
        let aboveValue = above.isInfinite ? (value < 0 ? -0x1p128 : 0x1p128) : Double(above)
        let (downwards, upwards) = (Swift.abs(Double(value) - Double(below)), Swift.abs(aboveValue - Double(value)))
        if downwards != upwards { return downwards < upwards ? below : above }
        return (below.bitPattern >> 16) & 1 == 0 ? below : above
    }

    @Test func roundingIsToNearestWithTiesToEven() {
        var generator = SplitMix64(seed: 3)
        var values: [Float] = [1, 1 + 1 / 256, 1 + 3 / 512, -(1 + 1 / 256), 0, -0.0, .infinity, -.infinity,
                               .greatestFiniteMagnitude, .leastNonzeroMagnitude, .leastNormalMagnitude, 65504.3, 1e-30]
        values += (0..<20_000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: generator.next())) }.filter { !$0.isNaN }
        let rounded = Tensor(shape: [values.count], scalars: values).roundedToBFloat16().scalars
        for (value, result) in zip(values, rounded) {
            let expected = nearestBFloat16(value)
            #expect(result.bitPattern == expected.bitPattern || (result.isNaN && expected.isNaN), "\(value) (\(String(value.bitPattern, radix: 16))): \(result), expected \(expected)")
        }
        #expect(rounded[1] == 1 && rounded[2] == 1 + 1 / 128 && rounded[8] == .infinity, "ties to even; FLT_MAX is past bf16's largest")
        let nan = Tensor(shape: [2], scalars: [.nan, -.nan]).roundedToBFloat16().scalars
        #expect(nan[0].isNaN && nan[1].isNaN)
    }

    @Test func convolutionResultsAreStoredAsBFloat16AndParametersStayFloat32() {
        let weight = random([16, 8, 3, 3], seed: 1).requiringGradient()
        let input = random([2, 8, 32, 32], seed: 2).requiringGradient()
        let (features, smooth, viewOfWeight) = withBFloat16Activations {
            let features = conv2d(input, weight: weight, padding: 1).relu()
            return (features, features.sigmoid(), weight.reshaped([16, 72]))
        }
        #expect(features.storage.holdsBFloat16Values, "a convolution's ReLU follows it into bfloat16")
        #expect(!smooth.storage.holdsBFloat16Values, "a sigmoid's result stays float32")
        #expect(!viewOfWeight.storage.holdsBFloat16Values && weight.scalars == random([16, 8, 3, 3], seed: 1).scalars,
                "a reshaped parameter shares its storage, which stays float32")
    }

    /// A convolution of an activation by a parameter multiplies bfloat16 operands;
    /// one of the batch itself (a first layer) and one by a fixed kernel (a loss's)
    /// multiply float32 ones. The results of trained filters are stored rounded; a
    /// fixed kernel's stays float32.
    @Test func onlyConvolutionsOfActivationsByParametersMultiplyBFloat16Operands() {
        let weight = random([6, 4, 3, 3], seed: 6).requiringGradient(), kernel = random([6, 4, 3, 3], seed: 7)
        let image = random([1, 4, 32, 32], seed: 5).requiringGradient()
        let (first, second, fixed, activation) = withBFloat16Activations {
            let activation = image.abs()  // an activation of the graph, stored as float32
            return (conv2d(image, weight: weight, padding: 1), conv2d(activation, weight: weight, padding: 1),
                    conv2d(activation, weight: kernel, padding: 1), activation)
        }
        let (w, x) = (weight.detached(), activation.detached())
        #expect(first.scalars == conv2d(image.detached(), weight: w, padding: 1).roundedToBFloat16().scalars, "first layer")
        let products = conv2d(x.roundedToBFloat16(), weight: w.roundedToBFloat16(), padding: 1)
        #expect(second.scalars == products.roundedToBFloat16().scalars, "an activation by a parameter")
        #expect(fixed.scalars == conv2d(x, weight: kernel, padding: 1).scalars && !fixed.storage.holdsBFloat16Values, "a fixed kernel")
        let exact = conv2d(x, weight: w, padding: 1).scalars
        let error = zip(second.scalars, exact).map { Swift.abs($0 - $1) / max(Swift.abs($1), 1) }.max()!
        #expect(error < 3e-2 && error > 0, "bfloat16 keeps 8 significant bits: \(error)")
    }

    /// A small network's gradients in bf16 are float32's within bfloat16's precision
    /// (the peak memory is measured in its own process, by `lumen bench train`).
    @Test func gradientsFollowFloat32() {
        let w1 = random([16, 3, 3, 3], seed: 7, in: -0.3...0.3).requiringGradient()
        let w2 = random([16, 16, 3, 3], seed: 8, in: -0.1...0.1).requiringGradient()
        let w3 = random([3, 16, 3, 3], seed: 9, in: -0.1...0.1).requiringGradient()
        let image = random([4, 3, 64, 64], seed: 10, in: 0...0.5).requiringGradient()
        func step() -> [[Float]] {
            for w in [w1, w2, w3] { w.zeroGradient() }
            let x1 = conv2d(image, weight: w1, padding: 1).relu()
            let x2 = conv2d(x1, weight: w2, padding: 1).relu()
            let out = conv2d(Tensor.concatenated([x1, x2], axis: 1).sliced(axis: 1, range: 8..<24), weight: w3, padding: 1).tanh()
            ((out - image).squared().mean() * 100).backward()
            return [w1, w2, w3].map { $0.gradient!.scalars }
        }
        let float32 = step(), bfloat16 = withBFloat16Activations { step() }
        for (a, b) in zip(float32, bfloat16) {
            let norm = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let difference = zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            #expect(difference < 2e-2 * norm && difference > 0, "relative gradient error \(difference / norm)")
        }
    }
}
