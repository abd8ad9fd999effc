import Foundation

/// Why an image could not be encoded in the requested format.
public enum ImageEncodingError: Error, LocalizedError, Equatable {
    /// The format cannot store samples of this many bits (PNG and TIFF store 8 or 16, the others 8).
    case unsupportedBitDepth(Int, format: ImageFormat)
    /// The format cannot store this many channels (JPEG has no alpha: 1 or 3 channels only).
    case unsupportedChannelCount(Int, format: ImageFormat)
    /// JPEG or WebP quality outside `1...100`.
    case qualityOutOfRange(Int, format: ImageFormat)
    /// The codec library failed; `detail` is its message.
    case encoderFailed(format: ImageFormat, detail: String)

    public var errorDescription: String? {
        switch self {
        case .unsupportedBitDepth(let bitDepth, let format):
            "\(format) cannot store \(bitDepth)-bit samples"
                + (format.bitDepths == [8] ? " (\(format) is 8-bit only)" : " (use 8 or 16)")
        case .unsupportedChannelCount(let channels, let format):
            "\(format) cannot store \(channels) channels; drop the alpha channel with colorChannels first"
        case .qualityOutOfRange(let quality, let format):
            "\(format) quality \(quality) is outside 1...100"
        case .encoderFailed(let format, let detail):
            "\(format) encoder failed (\(format.libraryName): \(detail))"
        }
    }
}
