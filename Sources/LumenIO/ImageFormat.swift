/// An image file format that LumenIO reads and writes.
public enum ImageFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Portable Network Graphics: lossless, 8 or 16 bits, 1 to 4 channels.
    case png
    /// JPEG (JFIF/EXIF): lossy, 8-bit gray or RGB.
    case jpeg

    /// The format a file extension names (`png`, `jpg`, `jpeg`, any case), or `nil`.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "png": self = .png
        case "jpg", "jpeg": self = .jpeg
        default: return nil
        }
    }

    /// The format whose signature starts `bytes`, or `nil`.
    ///
    /// PNG has an 8-byte signature; a JPEG starts with an SOI marker followed by
    /// the first marker's `FF` (`FF D8 FF`).
    init?(sniffing bytes: some Collection<UInt8>) {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else {
            return nil
        }
    }

    /// The usual file extension: `png` or `jpg`.
    public var fileExtension: String {
        switch self {
        case .png: "png"
        case .jpeg: "jpg"
        }
    }

    /// The name used in messages: `PNG` or `JPEG`.
    public var description: String { rawValue.uppercased() }

    /// The library that reads and writes the format, named in error messages.
    var libraryName: String {
        switch self {
        case .png: "libpng"
        case .jpeg: "libjpeg"
        }
    }
}
