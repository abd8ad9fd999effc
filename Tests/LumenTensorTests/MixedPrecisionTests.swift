import Foundation
@testable import LumenTensor
import LumenTestSupport
import Testing

/// bfloat16 mixed precision: the rounding, activations stored at half the bytes,
/// convolution products of bfloat16 operands, and gradients that follow float32's.
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

    @Test func recordedActivationsAreStoredAsBFloat16AndParametersStayFloat32() {
        let weight = random([16, 8, 3, 3], seed: 1).requiringGradient()
        let input = random([2, 8, 32, 32], seed: 2)
        let exact = conv2d(input, weight: weight, padding: 1).detached()
        let (output, viewOfWeight) = withBFloat16Activations {
            (conv2d(input, weight: weight, padding: 1), weight.reshaped([16, 72]))
        }
        #expect(output.storage.holdsBFloat16Values, "a recorded op's output is stored as bfloat16")
        #expect(!viewOfWeight.storage.holdsBFloat16Values && weight.scalars == random([16, 8, 3, 3], seed: 1).scalars,
                "a reshaped parameter shares its storage, which stays float32")
        // The products were of rounded operands; the stored result is rounded once more.
        let fromRounded = conv2d(input.roundedToBFloat16(), weight: weight.detached().roundedToBFloat16(), padding: 1)
        #expect(output.scalars == fromRounded.roundedToBFloat16().scalars)
        let error = zip(output.scalars, exact.scalars).map { Swift.abs($0 - $1) / max(Swift.abs($1), 1) }.max()!
        #expect(error < 3e-2 && error > 0, "bfloat16 keeps 8 significant bits: \(error)")
    }

    @Test func convolutionProductsAreOfBFloat16OperandsWithFloat32Sums() {
        let input = random([1, 4, 12, 10], seed: 5), weight = random([6, 4, 3, 3], seed: 6)
        let mixed = withBFloat16Activations { withoutGradients { conv2d(input, weight: weight, padding: 1) } }
        let expected = conv2d(input.roundedToBFloat16(), weight: weight.roundedToBFloat16(), padding: 1)
        #expect(mixed.scalars == expected.scalars, "unrecorded, the output is the float32 sum itself")
    }

    /// A small network's gradients in bf16 are float32's within bfloat16's precision
    /// (the peak memory is measured in its own process, by `lumen bench train`).
    @Test func gradientsFollowFloat32() {
        let w1 = random([16, 3, 3, 3], seed: 7, in: -0.3...0.3).requiringGradient()
        let w2 = random([16, 16, 3, 3], seed: 8, in: -0.1...0.1).requiringGradient()
        let w3 = random([3, 16, 3, 3], seed: 9, in: -0.1...0.1).requiringGradient()
        let image = random([4, 3, 64, 64], seed: 10, in: 0...0.5)
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
