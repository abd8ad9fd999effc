import LumenTensor

/// A module that maps one tensor to one tensor; what ``Sequential`` chains.
public protocol UnaryLayer: Module {
    /// Applies the layer to `x`.
    func callAsFunction(_ x: Tensor) -> Tensor
}
