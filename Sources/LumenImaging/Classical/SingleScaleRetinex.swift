import Foundation
import LumenTensor

/// Single-scale Retinex (Jobson, Rahman and Woodell, IEEE TIP 6(3), 1997): per
/// channel, `R = log I − log(G_σ ∗ I)`, the log ratio of each pixel to its Gaussian
/// surround, with `I = 255 v + 1` so that black has a finite logarithm.
///
/// The log-domain result is shown by the simplest colour balance (as in
/// ``AutoLevels``), per channel, clipping `clipFraction` of the pixels at each end;
/// a channel without contrast becomes mid-grey. Above σ = 8 the Gaussian is
/// approximated by three box filters of matching variance (Kovesi, DICTA 2010), so
/// the cost does not grow with σ.
///
/// ```swift
/// let enhanced = SingleScaleRetinex(sigma: 80).applied(to: image)
/// ```
public struct SingleScaleRetinex: Equatable, Sendable {
    /// Standard deviation of the Gaussian surround, in pixels.
    public let sigma: Float
    /// The fraction of pixels clipped at each end by the final stretch.
    public let clipFraction: Float

    /// Creates the method; the default σ = 80 is the middle of Jobson's three scales.
    public init(sigma: Float = 80, clipFraction: Float = 0.01) {
        precondition(sigma > 0, "sigma \(sigma); expected a positive value")
        precondition(clipFraction >= 0 && clipFraction < 0.5, "clip fraction \(clipFraction); expected [0, 0.5)")
        self.sigma = sigma
        self.clipFraction = clipFraction
    }

    /// Enhances each image.
    /// - Parameter image: RGB image `[N, 3, H, W]` in `[0, 1]`.
    /// - Returns: The same shape, in `[0, 1]`.
    public func applied(to image: Tensor) -> Tensor {
        mappingImages(image) { planes in
            planes.map { plane in
                let intensity = plane.mapped(retinexIntensity)
                let surround = GaussianBlur(sigma: sigma)(intensity)
                return retinexDisplayed(intensity.combined(with: surround) { log($0) - log($1) }, clipFraction: clipFraction)
            }
        }
    }
}

/// `255 v + 1`: the 8-bit scale of the Retinex literature, offset so that
/// `log` stays finite on black pixels.
func retinexIntensity(_ value: Float) -> Float { 255 * min(max(value, 0), 1) + 1 }

/// A log-domain plane stretched to `[0, 1]` by the simplest colour balance; a plane
/// without contrast becomes 0.5.
func retinexDisplayed(_ response: Plane<Float>, clipFraction: Float) -> Plane<Float> {
    let (low, high) = response.quantiles(clipFraction)
    return high > low ? response.stretched(from: low, to: high) : response.mapped { _ in 0.5 }
}
