import LumenTensor

/// Instance normalisation over `[N, C, H, W]`, as PyTorch's `nn.InstanceNorm2d`
/// (no running statistics): each `(n, c)` plane becomes
/// `(x − mean) / √(biased variance + epsilon)`, then `x̂·weight + bias` when affine.
public final class InstanceNorm2d: Module, UnaryLayer, @unchecked Sendable {
    /// `[C]` scale, ones initially; `nil` without affine parameters (the default).
    public let weight: Tensor?
    /// `[C]` shift, zeros initially; `nil` without affine parameters (the default).
    public let bias: Tensor?
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// The channel count `C`.
    public let featureCount: Int

    /// Creates an instance-norm layer for `featureCount` channels.
    /// - Parameters:
    ///   - featureCount: the channel count `C`.
    ///   - epsilon: added to the variance, `1e-5` as in PyTorch.
    ///   - affine: whether to learn a per-channel scale and shift; `false` as in PyTorch.
    public init(featureCount: Int, epsilon: Float = 1e-5, affine: Bool = false) {
        weight = affine ? Tensor(repeating: 1, shape: [featureCount]).trainable() : nil
        bias = affine ? Tensor(zeros: [featureCount]).trainable() : nil
        self.epsilon = epsilon
        self.featureCount = featureCount
    }

    /// Normalises each plane of `x` `[N, C, H, W]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.instanceNormalized(weight: weight, bias: bias, epsilon: epsilon)
    }
}
