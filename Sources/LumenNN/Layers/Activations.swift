import LumenTensor

/// `max(x, 0)` element-wise, as PyTorch's `nn.ReLU`.
public final class ReLU: Module, UnaryLayer, @unchecked Sendable {
    /// Creates the activation.
    public override init() {}
    /// Applies `max(x, 0)`.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.relu() }
}

/// `x` for positive inputs and `negativeSlope·x` otherwise, as PyTorch's `nn.LeakyReLU`.
public final class LeakyReLU: Module, UnaryLayer, @unchecked Sendable {
    /// The slope for negative inputs.
    public let negativeSlope: Float
    /// Creates the activation; the slope defaults to PyTorch's `0.01`.
    public init(negativeSlope: Float = 0.01) { self.negativeSlope = negativeSlope }
    /// Applies the leaky rectifier.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.leakyReLU(negativeSlope: negativeSlope) }
}

/// Logistic sigmoid `1 / (1 + e^−x)` element-wise, as PyTorch's `nn.Sigmoid`.
public final class Sigmoid: Module, UnaryLayer, @unchecked Sendable {
    /// Creates the activation.
    public override init() {}
    /// Applies the sigmoid.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.sigmoid() }
}

/// Hyperbolic tangent element-wise, as PyTorch's `nn.Tanh`.
public final class Tanh: Module, UnaryLayer, @unchecked Sendable {
    /// Creates the activation.
    public override init() {}
    /// Applies `tanh`.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.tanh() }
}

/// Gaussian error linear unit `x·Φ(x)` (exact form), as PyTorch's `nn.GELU()`.
public final class GELU: Module, UnaryLayer, @unchecked Sendable {
    /// Creates the activation.
    public override init() {}
    /// Applies GELU.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.gelu() }
}
