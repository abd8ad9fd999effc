import LumenTensor

/// Zero-DCE's light-enhancement curve `LE(x) = x + r · (x² − x)`, one step.
///
/// With `r` in `[-1, 1]` it maps `[0, 1]` onto itself monotonically; negative `r`
/// brightens. Computed as `x + r·(x·x − x)` in that order, as the reference code
/// does, so float rounding matches it (one fused pass, ``Tensor/quadraticCurve(_:)``).
/// - Parameters:
///   - x: the image `[N, 3, H, W]`.
///   - r: the curve parameters, broadcastable to `x`.
func lightEnhancementStep(_ x: Tensor, _ r: Tensor) -> Tensor {
    x.quadraticCurve(r)
}
