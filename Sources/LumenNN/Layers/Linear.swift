import LumenTensor

/// Affine map over the last axis, `y = x Wᵀ + b`, as PyTorch's `nn.Linear`:
/// `[..., inputFeatures] -> [..., outputFeatures]`.
public final class Linear: Module, UnaryLayer, @unchecked Sendable {
    /// `[outputFeatures, inputFeatures]`.
    public let weight: Tensor
    /// `[outputFeatures]`, or `nil` without bias.
    public let bias: Tensor?

    /// Creates a linear layer with PyTorch's default initialisation: weight and
    /// bias uniform in `±1/√inputFeatures`.
    /// - Parameters:
    ///   - inputFeatures, outputFeatures: feature counts.
    ///   - bias: whether to add a learned bias.
    ///   - generator: the source of the initial weights.
    public init(inputFeatures: Int, outputFeatures: Int, bias: Bool = true,
                using generator: inout some RandomNumberGenerator) {
        weight = Tensor.kaimingUniform(shape: [outputFeatures, inputFeatures], using: &generator).trainable()
        let bound = 1 / Float(inputFeatures).squareRoot()
        self.bias = bias ? Tensor.uniform(shape: [outputFeatures], in: -bound...bound, using: &generator).trainable() : nil
    }

    /// Applies the map to `x` `[..., inputFeatures]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        self(x, weight: weight)
    }
}
