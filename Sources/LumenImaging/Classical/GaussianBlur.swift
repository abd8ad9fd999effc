import Foundation
import LumenTensor

/// Gaussian blur of a plane with `BORDER_REFLECT_101` borders (OpenCV's default).
///
/// Up to σ = 8 it convolves with the sampled kernel `exp(−k² / 2σ²)`, `|k| ≤ ⌈3σ⌉`,
/// normalised to sum 1. Above, an exact kernel costs hundreds of operations per pixel
/// (Retinex uses σ = 250), so it runs three box filters whose widths are chosen to
/// give variance σ² (Kovesi, "Fast almost-Gaussian filtering", DICTA 2010): the
/// cost per pixel is constant and the result is within about 3 % of the Gaussian.
struct GaussianBlur {
    let sigma: Float

    init(sigma: Float) {
        precondition(sigma > 0, "Gaussian sigma \(sigma); expected a positive value")
        self.sigma = sigma
    }

    func callAsFunction(_ plane: Plane<Float>) -> Plane<Float> {
        let radius = Int((3 * sigma).rounded(.up))
        guard radius > 24 else { return convolved(plane, with: kernel(radius: radius)) }
        return boxRadii().reduce(plane) { plane, radius in BoxFilter(radius: radius)(plane) }
    }

    /// The normalised sampled Gaussian, `2 · radius + 1` weights.
    private func kernel(radius: Int) -> [Float] {
        let weights = (-radius ... radius).map { exp(-Double($0 * $0) / (2 * Double(sigma * sigma))) }
        let total = weights.reduce(0, +)
        return weights.map { Float($0 / total) }
    }

    /// Radii of three boxes whose variances add up to σ² (Kovesi's widths `w` and
    /// `w + 2`, `w` odd, mixed to get closest).
    private func boxRadii() -> [Int] {
        let variance = Double(sigma * sigma)
        var lower = Int((12 * variance / 3 + 1).squareRoot())
        if lower % 2 == 0 { lower -= 1 }
        let excess = 12 * variance - Double(3 * lower * lower + 12 * lower + 9)
        let lowerCount = Int((excess / Double(-4 * lower - 4)).rounded())
        return (0..<3).map { ($0 < lowerCount ? lower : lower + 2) / 2 }
    }

    /// Separable convolution with a symmetric odd-length kernel.
    private func convolved(_ plane: Plane<Float>, with kernel: [Float]) -> Plane<Float> {
        let (width, height) = (plane.width, plane.height)
        let radius = kernel.count / 2
        let rows = (-radius ..< height + radius).map { reflected101($0, count: height) }
        let across = kernel.withUnsafeBufferPointer { kernel in
            plane.filteringRows(radius: radius) { padded, out in
                for x in 0..<width {
                    var sum: Float = 0
                    for offset in kernel.indices { sum += kernel[offset] * padded[x + offset] }
                    out[x] = sum
                }
            }
        }
        var output = [Float](repeating: 0, count: width * height)
        across.withUnsafeBufferPointer { across in
            output.withUnsafeMutableBufferPointer { output in
                let (across, output) = (across.baseAddress!, output.baseAddress!)
                parallelFor(height, grain: 16) { range in
                    for y in range {
                        let out = output + y * width
                        out.update(repeating: 0, count: width)
                        for (offset, weight) in kernel.enumerated() {
                            let line = across + rows[y + offset] * width
                            for x in 0..<width { out[x] += weight * line[x] }
                        }
                    }
                }
            }
        }
        return Plane(width: width, height: height, values: output)
    }
}
