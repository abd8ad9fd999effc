import Foundation
import LumenTensor

/// Illumination-map enhancement in the manner of LIME (Guo, Li and Ling, IEEE TIP
/// 26(2), 2017): the illumination `T` is the maximum of R, G and B per pixel,
/// smoothed with edges kept, and each channel is divided by it:
/// `out = clamp(I / max(T^γ, ε), 0, 1)`.
///
/// LIME refines `T` by solving a weighted-smoothing problem; this uses the guided
/// filter of `T` guided by itself (He et al., ECCV 2010) instead, a common fast
/// stand-in that also keeps strong edges and flattens texture. γ < 1 lifts `T`
/// towards 1 and so tempers the brightening.
///
/// ```swift
/// let enhanced = LIME(gamma: 0.8).applied(to: image)
/// ```
public struct LIME: Equatable, Sendable {
    /// Exponent applied to the refined illumination.
    public let gamma: Float
    /// Radius in pixels of the guided filter's square window.
    public let radius: Int
    /// The guided filter's ε: local variances well below it are smoothed away.
    public let regularization: Float
    /// The smallest illumination divided by, ε in the formula; bounds the gain.
    public let minimumIllumination: Float

    /// Creates the method; the defaults suit photos of a few hundred to a few
    /// thousand pixels across.
    public init(gamma: Float = 0.8, radius: Int = 15, regularization: Float = 0.01, minimumIllumination: Float = 0.01) {
        precondition(gamma > 0, "gamma \(gamma); expected a positive value")
        precondition(radius >= 0, "radius \(radius); expected at least 0")
        precondition(regularization > 0, "regularization \(regularization); expected a positive value")
        precondition(minimumIllumination > 0, "minimum illumination \(minimumIllumination); expected a positive value")
        self.gamma = gamma
        self.radius = radius
        self.regularization = regularization
        self.minimumIllumination = minimumIllumination
    }

    /// Enhances each image.
    /// - Parameter image: RGB image `[N, 3, H, W]` in `[0, 1]`.
    /// - Returns: The same shape, in `[0, 1]`.
    public func applied(to image: Tensor) -> Tensor {
        mappingImages(image) { planes in
            let illumination = planes[0].combined(with: planes[1]) { max($0, $1) }.combined(with: planes[2]) { max($0, $1) }
            let refined = GuidedFilter(radius: radius, regularization: regularization)(illumination)
            let divisor = refined.mapped { max(pow(min(max($0, 0), 1), gamma), minimumIllumination) }
            return planes.map { $0.combined(with: divisor) { min(max($0 / $1, 0), 1) } }
        }
    }
}
