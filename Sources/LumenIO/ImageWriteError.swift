import Foundation

/// Why ``Image/write(to:format:quality:bitDepth:)`` failed. Each message starts with the path.
public enum ImageWriteError: Error, LocalizedError, Equatable {
    /// No format was given and the extension names none (see ``ImageFormat/init(pathExtension:)``).
    case unknownExtension(path: String)
    /// Encoding failed before anything was written.
    case encodingFailed(path: String, ImageEncodingError)
    /// Writing the encoded bytes failed; no file was left behind.
    case fileSystem(AtomicFileError)

    public var errorDescription: String? {
        switch self {
        case .unknownExtension(let path):
            "\(path): unknown image file extension (use "
                + ImageFormat.allCases.map { "." + $0.fileExtension }.joined(separator: ", ") + ", or pass a format)"
        case .encodingFailed(let path, let error):
            "\(path): \(error.localizedDescription)"
        case .fileSystem(let error):
            error.localizedDescription
        }
    }
}
