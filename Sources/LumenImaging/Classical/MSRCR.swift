import Foundation
import LumenTensor

/// Multi-scale Retinex with colour restoration (Jobson, Rahman and Woodell, IEEE
/// TIP 6(7), 1997).
///
/// With `I = 255 v + 1` per channel `c`:
/// `MSR_c = mean over σ of (log I_c − log(G_σ ∗ I_c))`,
/// `C_c = β (log(α I_c) − log(I_r + I_g + I_b))`, and `MSRCR_c = C_c · MSR_c`.
/// Jobson's final gain and offset are replaced by the simplest colour balance per
/// channel (clipping `clipFraction` at each end, as ``AutoLevels``), which makes
/// them irrelevant: a linear stretch absorbs any gain and offset.
///
/// ```swift
/// let enhanced = MSRCR().applied(to: image)   // σ = 15, 80, 250; α = 125, β = 46
/// ```
public struct MSRCR: Equatable, Sendable {
    /// Standard deviations of the Gaussian surrounds, in pixels, equally weighted.
    public let sigmas: [Float]
    /// Colour restoration non-linearity α.
    public let alpha: Float
    /// Colour restoration gain β.
    public let beta: Float
    /// The fraction of pixels clipped at each end by the final stretch.
    public let clipFraction: Float

    /// Creates the method with Jobson's standard scales and colour-restoration constants.
    public init(sigmas: [Float] = [15, 80, 250], alpha: Float = 125, beta: Float = 46, clipFraction: Float = 0.01) {
        precondition(!sigmas.isEmpty && sigmas.allSatisfy { $0 > 0 }, "sigmas \(sigmas); expected positive values")
        precondition(clipFraction >= 0 && clipFraction < 0.5, "clip fraction \(clipFraction); expected [0, 0.5)")
        self.sigmas = sigmas
        self.alpha = alpha
        self.beta = beta
        self.clipFraction = clipFraction
    }

    /// Enhances each image.
    /// - Parameter image: RGB image `[N, 3, H, W]` in `[0, 1]`.
    /// - Returns: The same shape, in `[0, 1]`.
    public func applied(to image: Tensor) -> Tensor {
        mappingImages(image) { planes in
            let intensities = planes.map { $0.mapped(retinexIntensity) }
            let logTotal = intensities[0].combined(with: intensities[1]) { $0 + $1 }
                .combined(with: intensities[2]) { log($0 + $1) }
            let weight = 1 / Float(sigmas.count)
            return intensities.map { intensity in
                // mean over σ of log(G_σ ∗ I), then MSR = log I − that mean.
                let surround = sigmas.map { GaussianBlur(sigma: $0)(intensity) }
                    .reduce(intensity.mapped { _ in Float(0) }) { sum, blurred in
                        sum.combined(with: blurred) { $0 + weight * log($1) }
                    }
                let msr = intensity.combined(with: surround) { log($0) - $1 }
                let restoration = intensity.combined(with: logTotal) { [alpha, beta] in beta * (log(alpha * $0) - $1) }
                return retinexDisplayed(msr.combined(with: restoration) { $0 * $1 }, clipFraction: clipFraction)
            }
        }
    }
}
