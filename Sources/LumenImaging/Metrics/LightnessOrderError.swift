import Foundation
import LumenTensor

/// Lightness order error (Wang, Zheng, Hu & Li 2013, "Naturalness Preserved
/// Enhancement Algorithm for Non-Uniform Illumination Images",
/// https://doi.org/10.1109/TIP.2013.2261309): how often the enhancement swaps the
/// relative order of two pixels' lightness. Lower is better; 0 when the order is
/// preserved everywhere.
///
/// `LOE = (1 / m) Σ_x Σ_y U(L(x), L(y)) ⊕ U(Le(x), Le(y))`, with `U(a, b) = 1` if
/// `a ≥ b`, `⊕` exclusive or, `L` the lightness `max(R, G, B)` of the original
/// input and `Le` that of the enhanced image. As in the widely used MATLAB script
/// (the LIME paper's evaluation), the lightness is compared on a grid whose
/// shorter side has 50 pixels: both maps (0–255, rounded to integers as for
/// 8-bit images) are resized to `round(H · 50 / min(H, W)) x round(W · 50 / min(H, W))`
/// with MATLAB's `imresize` (bicubic, antialiased) and rounded again as `imresize`
/// does for `uint8` images; `m` is the number of grid pixels.
///
/// ```swift
/// let error = lightnessOrderError(enhanced, input: lowLight)
/// ```
/// - Parameters:
///   - image: the enhanced image, RGB `[1, 3, H, W]` in `[0, 1]`.
///   - input: the original the image was enhanced from, the same shape.
/// - Returns: the mean number of order flips per grid pixel, in `[0, m)`.
public func lightnessOrderError(_ image: Tensor, input: Tensor) -> Double {
    let (height, width) = pairSize(image, input, channels: 3, for: "LOE")
    let ratio = 50 / Double(min(height, width))
    let rows = Int((Double(height) * ratio).rounded()), columns = Int((Double(width) * ratio).rounded())
    let original = LightnessGrid(input, rows: rows, columns: columns)
    let enhanced = LightnessGrid(image, rows: rows, columns: columns)
    let count = original.values.count
    var flipsPerPixel = [Int](repeating: 0, count: count)
    flipsPerPixel.withUnsafeMutableBufferPointer { flips in
        parallelFor(count, grain: 64) { pixels in
            for x in pixels {
                let (a, b) = (original.values[x], enhanced.values[x])
                var total = 0
                for y in 0..<count where (a >= original.values[y]) != (b >= enhanced.values[y]) { total += 1 }
                flips[x] = total
            }
        }
    }
    return Double(flipsPerPixel.reduce(0, +)) / Double(count)
}

/// The lightness `max(R, G, B)` of an image on LOE's grid, as 8-bit levels.
private struct LightnessGrid {
    let values: [Double]

    init(_ image: Tensor, rows: Int, columns: Int) {
        let channels = Plane.channels(of: image, scale: 255)
        let lightness = Plane(width: channels[0].width, height: channels[0].height,
                              values: channels[0].values.indices.map { index in
                                  max(channels[0].values[index], channels[1].values[index], channels[2].values[index]).rounded()
                              })
        values = lightness.resizedLikeMATLAB(height: rows, width: columns).values.map { min(max($0.rounded(), 0), 255) }
    }
}
