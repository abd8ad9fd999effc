/// Every primitive that records a backward rule.
///
/// Composite operations (`linear`, `variance`, `split`, `instanceNorm`, ...) are
/// built from these and need no rule of their own. The gradient tests iterate
/// `allCases` through a `switch` without `default`, so a new primitive cannot be
/// added without a finite-difference gradient test.
public enum DifferentiableOp: String, CaseIterable, Sendable {
    case add, subtract, multiply, divide, power, exp, log, sqrt, abs, maximum, minimum, clamp, sign, quadraticCurve
    case guidedVariation
    case sum, reshape, permute, expand, flip, pad, slice, concat
    case matmul, conv2d, convTranspose2d, conv2dWeightGradient, batchNorm
    case avgPool2d, maxPool2d, adaptiveAvgPool2d, resizeBilinear, resizeNearest, pixelShuffle
    case sigmoid, tanh, relu, leakyReLU, gelu, softmax

    /// Whether the op's backward rule is built from recorded operations when the
    /// backward pass is recorded, so that its gradient can be differentiated again
    /// (``gradients(of:withRespectTo:seed:createGraph:)`` with `createGraph`).
    ///
    /// It holds for every op a discriminator or critic is made of (convolutions,
    /// activations, arithmetic, reductions, reshapes, matrix products and softmax
    /// for self-attention, and instance norm, which is composed of them); the
    /// second-derivative tests check exactly these. The others fail loudly when a
    /// recorded backward pass reaches them rather than silently yielding
    /// constants. Batch norm is among them on purpose: WGAN-GP's penalty is per
    /// sample, which batch statistics break (Gulrajani et al., section 4).
    public var hasDifferentiableBackward: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .power, .exp, .log, .sqrt, .abs, .maximum, .minimum, .clamp, .sign,
             .sum, .reshape, .permute, .expand, .flip, .slice, .concat,
             .matmul, .conv2d, .convTranspose2d, .conv2dWeightGradient,
             .sigmoid, .tanh, .relu, .leakyReLU, .softmax:
            return true
        case .quadraticCurve, .guidedVariation, .pad, .batchNorm,
             .avgPool2d, .maxPool2d, .adaptiveAvgPool2d, .resizeBilinear, .resizeNearest, .pixelShuffle, .gelu:
            return false
        }
    }
}

/// Which results bfloat16 mixed precision stores as bfloat16 (``MixedPrecision``),
/// as autocast decides which ops run in bfloat16.
enum MixedPrecisionOutput {
    /// Products by a trained weight (the op's second input): convolutions and
    /// matrix products. By a fixed kernel (a loss's window), float32.
    case bfloat16
    /// ReLU, pooling, resampling and layout ops: bfloat16 when every input is.
    case asInputs
    /// Element-wise arithmetic, the smooth activations, reductions and batch norm:
    /// float32, as losses and differences of nearby values need their digits
    /// (a total variation of bfloat16 values is mostly rounding).
    case float32
}

extension DifferentiableOp {
    var mixedPrecisionOutput: MixedPrecisionOutput {
        switch self {
        case .matmul, .conv2d, .convTranspose2d, .conv2dWeightGradient:
            return .bfloat16
        case .relu, .leakyReLU, .maxPool2d, .avgPool2d, .adaptiveAvgPool2d, .resizeBilinear, .resizeNearest, .pixelShuffle,
             .reshape, .permute, .expand, .flip, .pad, .slice, .concat:
            return .asInputs
        case .add, .subtract, .multiply, .divide, .power, .exp, .log, .sqrt, .abs, .maximum, .minimum, .clamp, .sign,
             .quadraticCurve, .guidedVariation, .sum, .batchNorm, .sigmoid, .tanh, .gelu, .softmax:
            return .float32
        }
    }
}
