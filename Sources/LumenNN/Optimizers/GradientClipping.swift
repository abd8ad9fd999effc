import LumenTensor

/// Rescales the gradients of `parameters` so that their global L2 norm is at
/// most `maxNorm`, as PyTorch's `torch.nn.utils.clip_grad_norm_` (`norm_type=2`).
///
/// `total = √(Σ_p ‖grad_p‖²)`; when `maxNorm / (total + 1e-6) < 1`, every gradient
/// is multiplied by that coefficient. Parameters without a gradient are skipped.
/// Squares are accumulated in Double. Gradients are replaced, not scaled in
/// place, because the autograd pass may hand one gradient tensor to several leaves.
/// - Returns: the total norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var sumOfSquares: Double = 0
    for parameter in parameters {
        parameter.gradient?.withUnsafeBufferPointer { gradient in
            for value in gradient { sumOfSquares += Double(value) * Double(value) }
        }
    }
    let total = Float(sumOfSquares.squareRoot())
    let coefficient = maxNorm / (total + 1e-6)
    if coefficient < 1 {
        withoutGradients {
            for parameter in parameters {
                if let gradient = parameter.gradient { parameter.setGradient(gradient * coefficient) }
            }
        }
    }
    return total
}
