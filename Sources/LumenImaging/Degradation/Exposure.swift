import Foundation
import LumenTensor

/// Exposure change in EV (stops), applied in linear light as a camera would:
/// `srgb(clamp(linear(x) · 2^ev, 0, 1))`. −1 EV halves the linear intensity.
/// - Parameters:
///   - image: sRGB image `[N, C, H, W]` in `[0, 1]`.
///   - ev: stops; negative darkens.
public func exposureAdjusted(_ image: Tensor, ev: Float) -> Tensor {
    withoutGradients {
        let linear = SRGB.toLinear(image) * exposureGain(ev: ev)
        return SRGB.fromLinear(linear.clamped(min: 0, max: 1))
    }
}

/// The linear-light factor of an exposure change, `2^ev`.
func exposureGain(ev: Float) -> Float { Float(Foundation.pow(2, Double(ev))) }
