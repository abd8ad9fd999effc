import LumenTensor

/// Mean absolute error, as PyTorch's `F.l1_loss`: terms `|prediction − target|`.
/// - Parameters:
///   - prediction, target: tensors of the same shape (e.g. `[N, C, H, W]`).
///   - reduction: `.mean` (default), `.sum` or `.none`.
public func l1Loss(_ prediction: Tensor, _ target: Tensor, reduction: LossReduction = .mean) -> Tensor {
    precondition(prediction.shape == target.shape, "l1Loss of \(prediction.shape) and \(target.shape)")
    return reduction.apply((prediction - target).abs())
}

/// Mean squared error, as PyTorch's `F.mse_loss`: terms `(prediction − target)²`.
/// - Parameters:
///   - prediction, target: tensors of the same shape.
///   - reduction: `.mean` (default), `.sum` or `.none`.
public func mseLoss(_ prediction: Tensor, _ target: Tensor, reduction: LossReduction = .mean) -> Tensor {
    precondition(prediction.shape == target.shape, "mseLoss of \(prediction.shape) and \(target.shape)")
    let difference = prediction - target
    return reduction.apply(difference * difference)
}

/// Charbonnier loss, a differentiable L1 (Lai et al., LapSRN, https://arxiv.org/abs/1710.01992):
/// terms `√((prediction − target)² + ε²)`.
///
/// BasicSR's `CharbonnierLoss` adds its `eps` (1e-12) unsquared; pass
/// `epsilon: 1e-6` to reproduce it.
/// - Parameters:
///   - prediction, target: tensors of the same shape.
///   - epsilon: ε, the smoothing scale (`1e-3` by default).
///   - reduction: `.mean` (default), `.sum` or `.none`.
public func charbonnierLoss(_ prediction: Tensor, _ target: Tensor, epsilon: Float = 1e-3,
                            reduction: LossReduction = .mean) -> Tensor {
    precondition(prediction.shape == target.shape, "charbonnierLoss of \(prediction.shape) and \(target.shape)")
    let difference = prediction - target
    return reduction.apply((difference * difference + epsilon * epsilon).sqrt())
}
