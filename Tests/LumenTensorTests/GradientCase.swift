import LumenTensor
import Testing

/// A finite-difference gradient test for one primitive: inputs sampled away from
/// the op's kinks, the function under test and its tolerances.
struct GradientCase {
    let op: DifferentiableOp
    let inputs: [Tensor]
    var atol = 2e-3, rtol = 1e-2
    /// Whether the function takes gradients itself (so is evaluated with recording on).
    var differentiatesInside = false
    let function: ([Tensor]) -> Tensor

    /// The case for `op`. A `switch` without `default`: a new primitive does not
    /// compile until it has a gradient test.
    static func make(for op: DifferentiableOp) -> GradientCase {
        var g = SplitMix64(seed: UInt64(op.rawValue.hashValue & 0xFFFF) | 1)
        func random(_ shape: Shape, _ range: ClosedRange<Float> = -1...1) -> Tensor {
            Tensor.uniform(shape: shape, in: range, using: &g)
        }
        /// Values at least `margin` away from zero, either sign.
        func awayFromZero(_ shape: Shape, margin: Float = 0.1) -> Tensor {
            let t = random(shape)
            return Tensor(shape: shape, scalars: t.scalars.map { $0 >= 0 ? $0 + margin : $0 - margin })
        }
        /// Distinct values spaced apart, shuffled: no ties in max-like ops. Two
        /// tensors with different offsets never share a value either.
        func distinct(_ shape: Shape, offset: Float = 0) -> Tensor {
            var values = (0..<shape.elementCount).map { Float($0) * 0.05 - 1 + offset }
            values.shuffle(using: &g)
            return Tensor(shape: shape, scalars: values)
        }
        switch op {
        case .add: return GradientCase(op: op, inputs: [random([2, 3, 4]), random([3, 1])]) { $0[0] + $0[1] }
        case .subtract: return GradientCase(op: op, inputs: [random([2, 1, 4]), random([2, 3, 4])]) { $0[0] - $0[1] }
        case .multiply: return GradientCase(op: op, inputs: [random([2, 3, 4]), random([4])]) { $0[0] * $0[1] }
        case .divide: return GradientCase(op: op, inputs: [random([2, 3]), random([2, 3], 0.5...2)]) { $0[0] / $0[1] }
        case .power: return GradientCase(op: op, inputs: [random([2, 3], 0.5...2), random([3], -1.5...1.5)]) { $0[0].pow($0[1]) }
        case .exp: return GradientCase(op: op, inputs: [random([3, 4])]) { $0[0].exp() }
        case .log: return GradientCase(op: op, inputs: [random([3, 4], 0.2...3)]) { $0[0].log() }
        case .sqrt: return GradientCase(op: op, inputs: [random([3, 4], 0.2...3)]) { $0[0].sqrt() }
        case .abs: return GradientCase(op: op, inputs: [awayFromZero([3, 4])]) { $0[0].abs() }
        case .sign: return GradientCase(op: op, inputs: [awayFromZero([3, 4])]) { $0[0].sign() * $0[0] }
        case .maximum: return GradientCase(op: op, inputs: [distinct([2, 3, 4]), distinct([3, 4], offset: 0.025)]) { Tensor.maximum($0[0], $0[1]) }
        case .minimum: return GradientCase(op: op, inputs: [distinct([2, 3, 4]), distinct([1, 4], offset: 0.025)]) { Tensor.minimum($0[0], $0[1]) }
        case .clamp:
            let x = Tensor(shape: [12], scalars: [-0.9, -0.6, -0.45, -0.2, -0.1, 0.05, 0.15, 0.3, 0.55, 0.7, 0.9, 1.2])
            return GradientCase(op: op, inputs: [x]) { $0[0].clamped(min: -0.5, max: 0.5) }
        case .quadraticCurve:
            return GradientCase(op: op, inputs: [random([2, 3, 4], 0...1), random([2, 1, 4])]) { $0[0].quadraticCurve($0[1]) }
        case .guidedVariation:
            let offsets = [NeighbourOffset(rows: 0, columns: 1), NeighbourOffset(rows: 1, columns: -1), NeighbourOffset(rows: 2, columns: 2)]
            return GradientCase(op: op, inputs: [distinct([2, 2, 4, 5]), random([2, 3, 4, 5])]) {
                $0[0].guidedVariation(guide: $0[1], offsets: offsets, weightScale: -0.7)
            }
        case .sum: return GradientCase(op: op, inputs: [random([2, 3, 4, 5])]) { $0[0].sum(axes: [1, 3], keepDimensions: false) }
        case .reshape: return GradientCase(op: op, inputs: [random([2, 3, 4])]) { $0[0].reshaped([4, 6]) }
        case .permute: return GradientCase(op: op, inputs: [random([2, 3, 4, 5])]) { $0[0].permuted([2, 0, 3, 1]) }
        case .expand: return GradientCase(op: op, inputs: [random([3, 1, 2])]) { $0[0].expanded(to: [2, 3, 4, 2]) }
        case .flip: return GradientCase(op: op, inputs: [random([2, 3, 4])]) { $0[0].flipped(axis: 1) * $0[0] }
        case .pad:
            return GradientCase(op: op, inputs: [random([2, 2, 4, 5])]) { x in
                x[0].padded(Padding(top: 1, bottom: 2, left: 3, right: 0), mode: .reflect)
                    + x[0].padded(Padding(top: 1, bottom: 2, left: 3, right: 0), mode: .replicate)
                    + x[0].padded(Padding(top: 1, bottom: 2, left: 3, right: 0), mode: .zero)
            }
        case .slice: return GradientCase(op: op, inputs: [random([2, 5, 3])]) { $0[0].sliced(axis: 1, range: 1..<4) }
        case .concat:
            return GradientCase(op: op, inputs: [random([2, 2, 3]), random([2, 1, 3]), random([2, 3, 3])]) {
                Tensor.concatenated($0, axis: 1)
            }
        case .matmul:
            return GradientCase(op: op, inputs: [random([2, 3, 4]), random([2, 4, 5]), random([5, 2])]) { x in
                x[0].matmul(x[1]).matmul(x[2])
            }
        case .conv2d:
            return GradientCase(op: op, inputs: [random([2, 4, 7, 6]), random([6, 2, 3, 3]), random([6])]) { x in
                conv2d(x[0], weight: x[1], bias: x[2], stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2)
                    + conv2d(x[0], weight: x[1], bias: x[2], stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2)
            }
        case .convTranspose2d:
            return GradientCase(op: op, inputs: [random([2, 4, 4, 3]), random([4, 3, 3, 3]), random([6])]) { x in
                convTranspose2d(x[0], weight: x[1], bias: x[2], stride: 2, padding: 1, outputPadding: 1, groups: 2)
            }
        case .conv2dWeightGradient:
            // The weight gradient as a function of the input and the output gradient.
            return GradientCase(op: op, inputs: [random([2, 4, 7, 6]), random([2, 6, 4, 6])], differentiatesInside: true) { x in
                let weight = Tensor(zeros: [6, 2, 3, 3]).requiringGradient()
                let y = conv2d(x[0], weight: weight, stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2)
                return gradients(of: (y * x[1]).sum(), withRespectTo: [weight], createGraph: true)[0]
            }
        case .batchNorm:
            let mean = Tensor(zeros: [3]), variance = Tensor(repeating: 1, shape: [3])
            return GradientCase(op: op, inputs: [random([4, 3, 3, 2]), random([3], 0.5...1.5), random([3])]) { x in
                x[0].batchNormalized(runningMean: mean, runningVariance: variance, weight: x[1], bias: x[2], training: true)
            }
        case .avgPool2d: return GradientCase(op: op, inputs: [random([2, 2, 7, 6])]) { $0[0].avgPool2d(kernelSize: 3, stride: 2, padding: 1) }
        case .maxPool2d: return GradientCase(op: op, inputs: [distinct([2, 2, 7, 6])]) { $0[0].maxPool2d(kernelSize: 3, stride: 2, padding: 1) }
        case .adaptiveAvgPool2d: return GradientCase(op: op, inputs: [random([2, 2, 7, 5])]) { $0[0].adaptiveAvgPool2d(outputSize: (3, 2)) }
        case .resizeBilinear:
            return GradientCase(op: op, inputs: [random([1, 2, 5, 4])]) { x in
                x[0].resizedBilinear(height: 9, width: 3, alignCorners: false)
                    .resizedBilinear(height: 4, width: 7, alignCorners: true)
            }
        case .resizeNearest: return GradientCase(op: op, inputs: [random([1, 2, 5, 4])]) { $0[0].resizedNearest(height: 8, width: 3) }
        case .pixelShuffle: return GradientCase(op: op, inputs: [random([2, 8, 3, 2])]) { $0[0].pixelShuffled(upscaleFactor: 2) }
        case .sigmoid: return GradientCase(op: op, inputs: [random([3, 4], -4...4)]) { $0[0].sigmoid() }
        case .tanh: return GradientCase(op: op, inputs: [random([3, 4], -2...2)]) { $0[0].tanh() }
        case .relu: return GradientCase(op: op, inputs: [awayFromZero([3, 4])]) { $0[0].relu() }
        case .leakyReLU: return GradientCase(op: op, inputs: [awayFromZero([3, 4])]) { $0[0].leakyReLU(negativeSlope: 0.2) }
        case .gelu: return GradientCase(op: op, inputs: [random([3, 4], -3...3)]) { $0[0].gelu() }
        case .softmax: return GradientCase(op: op, inputs: [random([2, 5, 3], -2...2)]) { $0[0].softmax(axis: 1) }
        }
    }
}
