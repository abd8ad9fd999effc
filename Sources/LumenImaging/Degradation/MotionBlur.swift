import Foundation
import LumenTensor

/// Linear motion blur: the image smeared along a straight path, as a camera moving
/// during a long exposure.
///
/// The kernel is the segment of `length` pixels through the centre at `angle`,
/// drawn anti-aliased (a pixel's weight is `max(0, 1 − its distance to the segment)`)
/// and normalised to sum 1. Borders are mirrored without repeating the edge
/// (OpenCV's `BORDER_REFLECT_101`).
public struct MotionBlur: Codable, Sendable, Equatable {
    /// Length of the path in pixels, at least 1 (1 leaves the image unchanged).
    public var length: Float
    /// Direction in degrees, counter-clockwise from horizontal.
    public var angle: Float

    public init(length: Float, angle: Float) {
        precondition(length >= 1, "motion blur length \(length); expected at least 1 pixel")
        (self.length, self.angle) = (length, angle)
    }

    /// The non-zero weights of the kernel, as offsets from the centre; they sum to 1.
    var kernel: [(dx: Int, dy: Int, weight: Float)] {
        let half = Double(length - 1) / 2
        let radians = Double(angle) * .pi / 180
        // Image rows grow downwards, so a counter-clockwise angle moves up: −sin.
        let (directionX, directionY) = (cos(radians), -sin(radians))
        let radius = Int(half.rounded(.up)) + 1
        var taps: [(dx: Int, dy: Int, weight: Float)] = []
        for dy in -radius...radius {
            for dx in -radius...radius {
                let along = min(max(Double(dx) * directionX + Double(dy) * directionY, -half), half)
                let distance = hypot(Double(dx) - along * directionX, Double(dy) - along * directionY)
                // Not `< 1`: cos 90° is 6e-17, not 0, which would give taps one pixel
                // off a vertical line a weight of 1e-16.
                if distance < 1 - 1e-6 { taps.append((dx, dy, Float(1 - distance))) }
            }
        }
        let total = taps.reduce(0) { $0 + $1.weight }
        return taps.map { ($0.dx, $0.dy, $0.weight / total) }
    }

    /// Blurs every channel of an image `[N, C, H, W]`.
    func applied(to image: Tensor) -> Tensor {
        let dimensions = image.shape.dimensions
        let (height, width) = (dimensions[dimensions.count - 2], dimensions[dimensions.count - 1])
        let taps = kernel
        let planes = image.scalarCount / (height * width)
        return Tensor(shape: image.shape) { output in
            image.withUnsafeBufferPointer { input in
                let (input, output) = (input.baseAddress!, output.baseAddress!)
                parallelFor(planes * height, grain: 16) { range in
                    for row in range {
                        let (plane, y) = (row / height * height * width, row % height)
                        let sources = taps.map { (line: plane + reflected101(y + $0.dy, count: height) * width, $0.dx, $0.weight) }
                        for x in 0..<width {
                            var sum: Float = 0
                            for (line, dx, weight) in sources { sum += weight * input[line + reflected101(x + dx, count: width)] }
                            output[plane + y * width + x] = sum
                        }
                    }
                }
            }
        }
    }
}
