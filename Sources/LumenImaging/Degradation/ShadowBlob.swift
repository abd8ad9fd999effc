import Foundation
import LumenTensor

/// A soft Gaussian shadow: the light falls off towards its centre, where
/// `depth` of it is removed.
///
/// Positions and sizes are relative to the image, so the same blob darkens the same
/// region of an image at any resolution. Several blobs multiply:
/// `mask(p) = Π (1 − depth · exp(−|p − centre|² / 2 radius²))`, with distances
/// measured in units of the image's shorter side.
public struct ShadowBlob: Codable, Sendable, Equatable {
    /// Horizontal position of the centre, `0` (left edge) to `1` (right edge).
    public var centerX: Float
    /// Vertical position of the centre, `0` (top edge) to `1` (bottom edge).
    public var centerY: Float
    /// Standard deviation of the fall-off, as a fraction of the shorter side.
    public var radius: Float
    /// Fraction of the light removed at the centre, in `[0, 1]`.
    public var depth: Float

    public init(centerX: Float, centerY: Float, radius: Float, depth: Float) {
        precondition(radius > 0, "shadow radius \(radius); expected a positive value")
        (self.centerX, self.centerY, self.radius, self.depth) = (centerX, centerY, radius, depth)
    }
}

extension [ShadowBlob] {
    /// The attenuation mask of the blobs, `height · width` values in `(0, 1]`, row-major.
    func mask(height: Int, width: Int) -> [Float] {
        let side = Double(Swift.min(height, width))
        var mask = [Float](repeating: 1, count: height * width)
        for blob in self {
            let (centerX, centerY) = (Double(blob.centerX) * Double(width), Double(blob.centerY) * Double(height))
            let scale = -1 / (2 * Double(blob.radius * blob.radius) * side * side)
            mask.withUnsafeMutableBufferPointer { mask in
                let mask = mask.baseAddress!
                parallelFor(height, grain: 16) { rows in
                    for y in rows {
                        let dy = Double(y) + 0.5 - centerY
                        for x in 0..<width {
                            let dx = Double(x) + 0.5 - centerX
                            mask[y * width + x] *= Float(1 - Double(blob.depth) * exp((dx * dx + dy * dy) * scale))
                        }
                    }
                }
            }
        }
        return mask
    }
}
