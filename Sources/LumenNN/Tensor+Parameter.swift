import LumenTensor

extension Tensor {
    /// Marks a freshly initialised tensor as a trainable parameter and returns it.
    func trainable() -> Tensor {
        requiresGradient = true
        return self
    }
}
