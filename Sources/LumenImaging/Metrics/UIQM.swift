import Foundation
import LumenTensor

/// Underwater image quality measure (Panetta, Gao & Agaian 2016,
/// "Human-Visual-System-Inspired Underwater Image Quality Measures",
/// https://doi.org/10.1109/JOE.2015.2469915): `0.0282 · UICM + 0.2953 · UISM + 3.5753 · UIConM`,
/// on the 8-bit levels `round(255 · v)`. Higher is better.
///
/// - UICM (colourfulness): `−0.0268 · sqrt(μ²_RG + μ²_YB) + 0.1586 · sqrt(σ²_RG + σ²_YB)`
///   for `RG = R − G`, `YB = (R + G) / 2 − B`, with the α-trimmed means (α = 0.1:
///   the `ceil(0.1 K)` smallest and `floor(0.1 K)` largest values dropped) and the
///   variances about them over all `K` pixels.
/// - UISM (sharpness): `Σ λ_c · EME(sobel_c · c)` over R, G, B with the BT.601
///   weights λ = 0.299, 0.587, 0.114; the Sobel gradient magnitude with a
///   replicated border; `EME = 2 / (k1 k2) · Σ ln(max / min)` over 8 x 8 blocks.
/// - UIConM (contrast): `−1 / (k1 k2) · Σ r · ln r`, `r = (max − min) / (max + min)`
///   over the 8 x 8 blocks of all three channels.
///
/// The levels are rounded because EME divides by each block's smallest edge
/// strength: where Sobel differences cancel exactly on 8-bit data, values that
/// are integers only up to float rounding would leave residues of 1e-6 whose
/// logarithms dominate the score.
///
/// Conventions where the paper leaves room, as in the widely used Python
/// implementation (`uqim_utils.py`): 8 x 8 blocks from the top-left corner
/// (a partial last row or column of blocks is ignored); blocks whose minimum is 0
/// (EME) or whose `r` is 0 (UIConM) add nothing; plain arithmetic in the
/// logAMEE instead of the paper's PLIP operators. Unlike that implementation it
/// uses the paper's λ_B = 0.114 (not 0.144) and drops exactly the α-trimmed
/// samples.
///
/// - Parameter image: RGB `[1, 3, H, W]` in `[0, 1]`, at least 8 x 8.
public func uiqm(_ image: Tensor) -> Double {
    let (height, width) = imageSize(image, channels: 3, for: "UIQM")
    precondition(height >= 8 && width >= 8, "UIQM of a \(width)x\(height) image; needs at least 8x8")
    let channels = Plane.channels(of: image, scale: 255).map { $0.mapped { min(max($0.rounded(), 0), 255) } }
    return 0.0282 * UIQMTerms.colorfulness(channels) + 0.2953 * UIQMTerms.sharpness(channels)
        + 3.5753 * UIQMTerms.contrast(channels)
}

/// The three terms of ``uiqm(_:)``, on 0–255 channels.
enum UIQMTerms {
    static func colorfulness(_ rgb: [Plane<Double>]) -> Double {
        let (r, g, b) = (rgb[0].values, rgb[1].values, rgb[2].values)
        let redGreen = r.indices.map { r[$0] - g[$0] }
        let yellowBlue = r.indices.map { (r[$0] + g[$0]) / 2 - b[$0] }
        let (meanRG, meanYB) = (trimmedMean(redGreen), trimmedMean(yellowBlue))
        let varianceRG = redGreen.reduce(0) { $0 + ($1 - meanRG) * ($1 - meanRG) } / Double(redGreen.count)
        let varianceYB = yellowBlue.reduce(0) { $0 + ($1 - meanYB) * ($1 - meanYB) } / Double(yellowBlue.count)
        return -0.0268 * (meanRG * meanRG + meanYB * meanYB).squareRoot() + 0.1586 * (varianceRG + varianceYB).squareRoot()
    }

    /// The mean without the `ceil(0.1 K)` smallest and `floor(0.1 K)` largest values.
    static func trimmedMean(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let low = Int((0.1 * Double(sorted.count)).rounded(.up)), high = Int((0.1 * Double(sorted.count)).rounded(.down))
        let kept = sorted[low..<(sorted.count - high)]
        return kept.reduce(0, +) / Double(kept.count)
    }

    static func sharpness(_ rgb: [Plane<Double>]) -> Double {
        let horizontal: [Double] = [-1, 0, 1, -2, 0, 2, -1, 0, 1], vertical: [Double] = [-1, -2, -1, 0, 0, 0, 1, 2, 1]
        return zip(rgb, [0.299, 0.587, 0.114]).reduce(0) { total, channel in
            let padded = channel.0.replicatePadded(1)
            let magnitude = Plane.combining(padded.filteredValid(window: horizontal, size: 3),
                                            padded.filteredValid(window: vertical, size: 3)) { ($0 * $0 + $1 * $1).squareRoot() }
            let edges = Plane.combining(magnitude, channel.0, *)
            let logRatios = blockExtremes([edges]).map { $0.min > 0 ? log($0.max / $0.min) : 0 }
            return total + channel.1 * 2 * logRatios.reduce(0, +) / Double(logRatios.count)
        }
    }

    static func contrast(_ rgb: [Plane<Double>]) -> Double {
        let terms = blockExtremes(rgb).map { block -> Double in
            let ratio = (block.max - block.min) / (block.max + block.min)
            return ratio > 0 ? ratio * log(ratio) : 0
        }
        return -terms.reduce(0, +) / Double(terms.count)
    }

    /// The smallest and largest values of each whole 8 x 8 block across `planes`,
    /// row by row of blocks.
    static func blockExtremes(_ planes: [Plane<Double>]) -> [(min: Double, max: Double)] {
        let (rows, columns) = (planes[0].height / 8, planes[0].width / 8)
        return (0..<rows * columns).map { block in
            var (low, high) = (Double.infinity, -Double.infinity)
            for plane in planes {
                for y in (block / columns * 8)..<(block / columns * 8 + 8) {
                    for x in (block % columns * 8)..<(block % columns * 8 + 8) {
                        low = min(low, plane[y, x])
                        high = max(high, plane[y, x])
                    }
                }
            }
            return (low, high)
        }
    }
}
