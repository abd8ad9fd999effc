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
    case matmul, conv2d, convTranspose2d, batchNorm
    case avgPool2d, maxPool2d, adaptiveAvgPool2d, resizeBilinear, resizeNearest, pixelShuffle
    case sigmoid, tanh, relu, leakyReLU, gelu, softmax
}
