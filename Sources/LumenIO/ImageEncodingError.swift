import Foundation

/// Why an image could not be encoded in the requested format.
public enum ImageEncodingError: Error, LocalizedError, Equatable {
    /// The format cannot store samples of this many bits (JPEG stores only 8; both store 8 or 16).
    case unsupportedBitDepth(Int, format: ImageFormat)
    /// The format cannot store this many channels (JPEG has no alpha: 1 or 3 channels only).
    case unsupportedChannelCount(Int, format: ImageFormat)
    /// JPEG quality outside `1...100`.
    case qualityOutOfRange(Int)
    /// The codec library failed; `detail` is its message.
    case encoderFailed(format: ImageFormat, detail: String)

    public var errorDescription: String? {
        switch self {
        case .unsupportedBitDepth(let bitDepth, let format):
            "\(format) cannot store \(bitDepth)-bit samples"
                + (format == .jpeg ? " (JPEG is 8-bit only)" : " (use 8 or 16)")
        case .unsupportedChannelCount(let channels, let format):
            "\(format) cannot store \(channels) channels; drop the alpha channel with rgb() first"
        case .qualityOutOfRange(let quality):
            "JPEG quality \(quality) is outside 1...100"
        case .encoderFailed(let format, let detail):
            "\(format) encoder failed (\(format.libraryName): \(detail))"
        }
    }
}
