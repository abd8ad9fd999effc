import Foundation

/// Why a matte, a trimap or a pair of them cannot be used; the caller names the file.
public enum MattingError: Error, CustomStringConvertible, LocalizedError, Equatable, Sendable {
    /// A matte must be one gray channel (or RGB with three equal channels).
    case notGrayscale(channels: Int)
    /// A matte or trimap with transparent pixels: alpha is stored as gray levels.
    case transparent
    /// Two images that must match in size do not; `what` says which (e.g. "alpha and image").
    case sizeMismatch(what: String, width: Int, height: Int, otherWidth: Int, otherHeight: Int)
    /// A trimap holds values other than 0 (background), 128 (unknown) and 255 (foreground).
    case invalidTrimapValues(count: Int, example: Int)
    /// The trimap marks no pixel unknown, so the unknown-region metrics are undefined.
    case noUnknownRegion
    /// The unknown-region metrics were asked for without a trimap.
    case missingTrimap

    /// One line saying what is wrong, for the command line.
    public var description: String {
        switch self {
        case let .notGrayscale(channels):
            "is not a grayscale matte: it has \(channels) differing colour channels; alpha is one gray channel"
        case .transparent:
            "has transparent pixels; a matte or trimap stores alpha as gray levels, not as transparency"
        case let .sizeMismatch(what, width, height, otherWidth, otherHeight):
            "\(what) differ in size: \(width)x\(height) against \(otherWidth)x\(otherHeight)"
        case let .invalidTrimapValues(count, example):
            "is not a trimap: \(count) pixels are neither 0, 128 nor 255 (for example \(example))"
        case .noUnknownRegion:
            "is a trimap without an unknown region (no pixel is 128), so SAD, MSE, Grad and Conn over it are undefined"
        case .missingTrimap:
            "the unknown-region metrics need a trimap; give one, or score the whole image"
        }
    }

    /// The same line as ``description``.
    public var errorDescription: String? { description }
}
