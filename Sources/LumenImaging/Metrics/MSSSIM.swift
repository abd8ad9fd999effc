import Foundation
import LumenTensor

/// Multi-scale structural similarity (Wang, Simoncelli & Bovik 2003,
/// https://doi.org/10.1109/ACSSC.2003.1292216), per channel then averaged:
/// `Π_{j=1}^{4} max(cs_j, 0)^{w_j} · max(ssim_5, 0)^{w_5}`, where `cs_j` is the mean
/// contrast-structure term and `ssim_5` the mean SSIM at the coarsest scale.
///
/// Conventions, those of Wang's reference `msssim.m` unless noted:
/// - 5 scales with weights ``MultiScaleSSIM/weights`` (0.0448, 0.2856, 0.3001, 0.2363, 0.1333);
/// - each scale uses ``ssim(_:_:)``'s window and constants (11-tap Gaussian,
///   σ = 1.5, data range 1) averaged over the valid region, like scikit-image's SSIM;
/// - between scales, 2x2 block averages, an odd last row or column averaged with
///   itself (`imfilter(ones(2)/4, 'symmetric')` then every second pixel);
/// - negative terms are clamped to 0 before the fractional powers, as
///   `pytorch_msssim` does, so the score stays in `[0, 1]` (`msssim.m` would give a
///   complex number);
/// - RGB images: the mean of the three channels' scores, as for SSIM.
///
/// ```swift
/// let similarity = msSSIM(enhanced, groundTruth)
/// ```
/// - Parameters:
///   - image: `[1, C, H, W]` in `[0, 1]`; `H` and `W` at least ``MultiScaleSSIM/minimumSide`` (161)
///     so that the coarsest scale still holds an 11 x 11 window.
///   - reference: the ground truth, the same shape.
public func msSSIM(_ image: Tensor, _ reference: Tensor) -> Double {
    let (height, width) = pairSize(image, reference, for: "MS-SSIM")
    precondition(min(height, width) >= MultiScaleSSIM.minimumSide,
                 "MS-SSIM of a \(width)x\(height) image; needs at least 161x161")
    let channels = zip(Plane.channels(of: image), Plane.channels(of: reference))
    let values = channels.map { MultiScaleSSIM.score($0, $1) }
    return values.reduce(0, +) / Double(values.count)
}

/// MS-SSIM's scale weights and size limit.
public enum MultiScaleSSIM {
    /// The exponents of the five scales, finest first (Wang et al. 2003, table 1).
    public static let weights = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333]
    /// The smallest side accepted: after four halvings (rounding up) 161 px leaves 11.
    public static let minimumSide = 16 * (SSIMParameters.minimumSide - 1) + 1

    /// MS-SSIM of one channel.
    static func score(_ x: Plane<Double>, _ y: Plane<Double>) -> Double {
        var (x, y, score) = (x, y, 1.0)
        for (scale, weight) in weights.enumerated() {
            let statistics = SSIMStatistics(x, y)
            let isCoarsest = scale == weights.count - 1
            score *= pow(max(isCoarsest ? statistics.similarity : statistics.contrastStructure, 0), weight)
            if !isCoarsest { (x, y) = (x.halved(), y.halved()) }
        }
        return score
    }
}
