import LumenTensor

/// Layers applied one after another; their parameters are keyed by position
/// (`layers.0.weight`, `layers.2.bias`), like PyTorch's `nn.Sequential`.
///
/// ```swift
/// let body = Sequential(
///     Conv2d(inputChannels: 3, outputChannels: 8, kernelSize: 3, padding: 1, using: &generator),
///     ReLU())
/// ```
public final class Sequential: Module, UnaryLayer, @unchecked Sendable {
    /// The layers in application order. Reflection sees them as `[Module]`.
    public let layers: [any UnaryLayer]

    /// Chains `layers` in the given order.
    public init(_ layers: [any UnaryLayer]) {
        self.layers = layers
    }

    /// Chains `layers` in the given order.
    public convenience init(_ layers: any UnaryLayer...) {
        self.init(layers)
    }

    /// Applies every layer in turn; an empty `Sequential` returns `x`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        layers.reduce(x) { $1($0) }
    }
}
