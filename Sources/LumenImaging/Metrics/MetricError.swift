import Foundation
import LumenTensor

/// Why ``ImageMetric/measure(_:input:reference:)`` could not score an image.
public enum MetricError: Error, CustomStringConvertible, LocalizedError, Equatable, Sendable {
    /// The image and its reference (or input) differ in size; shapes `[1, C, H, W]`.
    case sizeMismatch(metric: ImageMetric, image: Shape, other: Shape)
    /// A full-reference metric was asked for without a ground truth.
    case missingReference(metric: ImageMetric)
    /// LOE was asked for without the original the image was enhanced from.
    case missingInput(metric: ImageMetric)
    /// The image is smaller than the metric's window or blocks.
    case imageTooSmall(metric: ImageMetric, width: Int, height: Int)
    /// The image is neither RGB nor gray (for example RGBA).
    case unsupportedChannelCount(metric: ImageMetric, channels: Int)

    /// One line naming the metric and the problem, for the command line.
    public var description: String {
        switch self {
        case let .sizeMismatch(metric, image, other):
            let role = metric.requirement == .input ? "input" : "reference"
            return "\(metric.rawValue): the image is \(Self.size(image)) but the \(role) is \(Self.size(other))"
        case let .missingReference(metric):
            return "\(metric.rawValue) compares with a reference image (ground truth); none was given"
        case let .missingInput(metric):
            return "\(metric.rawValue) compares with the original input image; none was given"
        case let .imageTooSmall(metric, width, height):
            return "\(metric.rawValue) needs \(metric.minimumSizeDescription); the image is \(width)x\(height)"
        case let .unsupportedChannelCount(metric, channels):
            return "\(metric.rawValue) needs an RGB or gray image; this one has \(channels) channels"
        }
    }

    /// The same line as ``description``.
    public var errorDescription: String? { description }

    /// `W x H` of an image shape `[1, C, H, W]`.
    private static func size(_ shape: Shape) -> String {
        shape.rank >= 2 ? "\(shape[-1])x\(shape[-2])" : "\(shape)"
    }
}
