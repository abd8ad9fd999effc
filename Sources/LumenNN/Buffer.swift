import LumenTensor

/// Non-trainable module state that is saved with the weights (batch-norm running
/// statistics). Its own type lets parameter reflection tell it apart from
/// trainable tensors without naming conventions.
public struct Buffer: Sendable {
    /// The stored values, updated in place (e.g. by batch-norm in training mode).
    public let value: Tensor

    /// Wraps `value` as a buffer.
    public init(_ value: Tensor) { self.value = value }
}
