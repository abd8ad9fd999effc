import LumenTensor

/// How a loss combines its element-wise terms, as PyTorch's `reduction` argument.
public enum LossReduction: Sendable, CaseIterable {
    /// The mean over every element: a scalar (rank 0).
    case mean
    /// The sum over every element: a scalar (rank 0).
    case sum
    /// No reduction: the element-wise terms, in the inputs' shape.
    case none

    /// Reduces element-wise `terms` accordingly.
    func apply(_ terms: Tensor) -> Tensor {
        switch self {
        case .mean: terms.mean()
        case .sum: terms.sum()
        case .none: terms
        }
    }
}
