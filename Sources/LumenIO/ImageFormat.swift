/// An image file format that LumenIO reads and writes.
///
/// This enum is the one list of formats and their file extensions: folder readers
/// (`lumen enhance`, training and evaluation folders) take a file when
/// ``init(pathExtension:)`` names a format.
public enum ImageFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Portable Network Graphics: lossless, 8 or 16 bits, 1 to 4 channels.
    case png
    /// JPEG (JFIF/EXIF): lossy, 8-bit gray or RGB; CMYK and YCCK files are read as RGB.
    case jpeg
    /// TIFF, first page only: lossless (deflate) when written, 8 or 16 bits, 1 to 4 channels.
    case tiff
    /// WebP, still images only: 8-bit RGB or RGBA, lossy, or lossless at quality 100.
    case webp
    /// Windows bitmap: 8-bit RGB (24-bit files) or RGBA (32-bit files with an alpha mask).
    case bmp

    /// The format a file extension names (`png`, `jpg`, `jpeg`, `tif`, `tiff`, `webp`,
    /// `bmp`, any case), or `nil`.
    public init?(pathExtension: String) {
        let name = pathExtension.lowercased()
        guard let format = Self.allCases.first(where: { $0.fileExtensions.contains(name) }) else { return nil }
        self = format
    }

    /// The format whose signature starts `bytes`, or `nil`.
    ///
    /// PNG has an 8-byte signature; a JPEG starts with an SOI marker followed by
    /// the first marker's `FF` (`FF D8 FF`); a TIFF with its byte order and 42
    /// (`II*\0` or `MM\0*`); a WebP with a RIFF header of form `WEBP`; a BMP with `BM`.
    init?(sniffing bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(12))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if head.starts(with: Array("II*\0".utf8)) || head.starts(with: Array("MM\0*".utf8)) {
            self = .tiff
        } else if head.count == 12, head.starts(with: Array("RIFF".utf8)), Array(head[8...]) == Array("WEBP".utf8) {
            self = .webp
        } else if head.starts(with: Array("BM".utf8)) {
            self = .bmp
        } else {
            return nil
        }
    }

    /// Every extension that names the format, the usual one (``fileExtension``) first.
    public var fileExtensions: [String] {
        switch self {
        case .png: ["png"]
        case .jpeg: ["jpg", "jpeg"]
        case .tiff: ["tif", "tiff"]
        case .webp: ["webp"]
        case .bmp: ["bmp"]
        }
    }

    /// The usual file extension: `png`, `jpg`, `tif`, `webp` or `bmp`.
    public var fileExtension: String { fileExtensions[0] }

    /// Whether files of the format can hold an alpha channel (all but JPEG).
    public var storesAlpha: Bool { self != .jpeg }

    /// The bit depths the encoder writes: 8 and 16 for PNG and TIFF, 8 for the others.
    public var bitDepths: [Int] { self == .png || self == .tiff ? [8, 16] : [8] }

    /// The name used in messages: `PNG`, `JPEG`, `TIFF`, `WebP` or `BMP`.
    public var description: String { self == .webp ? "WebP" : rawValue.uppercased() }

    /// Every format's name for messages, as in `PNG, JPEG, TIFF, WebP or BMP`.
    public static var namesForMessages: String {
        let names = allCases.map(\.description)
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    /// The library that reads and writes the format, named in error messages.
    var libraryName: String {
        switch self {
        case .png: "libpng"
        case .jpeg: "libjpeg"
        case .tiff: "libtiff"
        case .webp: "libwebp"
        case .bmp: "BMP reader"
        }
    }
}
