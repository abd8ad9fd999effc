import Foundation
import LumenTensor

/// Shannon entropy in bits of the 8-bit gray-level histogram,
/// `−Σ p_k log2 p_k` over the 256 levels (as MATLAB's `entropy` on a `uint8`
/// gray image): 0 for a flat image, 8 at most. Higher means more detail.
///
/// The gray level is BT.601 luma (``Gray/fromRGB(_:)``'s weights) in exact integer
/// arithmetic on the 8-bit channel values, `(299 R + 587 G + 114 B + 500) / 1000`
/// rounded down, so that levels halfway between two bins, which these weights
/// produce often, do not depend on float rounding.
/// - Parameter image: RGB `[1, 3, H, W]` in `[0, 1]`.
public func entropy(_ image: Tensor) -> Double {
    _ = imageSize(image, channels: 3, for: "entropy")
    let rgb = Plane.channels(of: image, scale: 255).map { channel in
        channel.values.map { Int(min(max($0.rounded(), 0), 255)) }
    }
    var histogram = [Int](repeating: 0, count: 256)
    for index in rgb[0].indices {
        histogram[(299 * rgb[0][index] + 587 * rgb[1][index] + 114 * rgb[2][index] + 500) / 1000] += 1
    }
    let count = Double(rgb[0].count)
    return histogram.reduce(0.0) { sum, bin in
        guard bin > 0 else { return sum }
        let p = Double(bin) / count
        return sum - p * log2(p)
    }
}
