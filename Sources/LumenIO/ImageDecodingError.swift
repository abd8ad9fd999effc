import Foundation

/// Why an image could not be read or decoded. Each message starts with the file's name.
///
/// ```
/// night.jpg: not a PNG, JPEG, TIFF, WebP or BMP file (first bytes 50 4B 03 04)
/// x.png: truncated or corrupt PNG (libpng: IDAT: CRC error)
/// ```
public enum ImageDecodingError: Error, LocalizedError, Equatable {
    /// Nothing exists at the path.
    case fileNotFound(name: String)
    /// The file exists but could not be read (a directory, no permission).
    case unreadable(name: String, reason: String)
    /// The file has no bytes.
    case emptyFile(name: String)
    /// The bytes start with no known format's signature; `firstBytes` holds up to four.
    case unrecognizedFormat(name: String, firstBytes: [UInt8])
    /// The codec library rejected the data; `detail` is its message.
    case corrupt(name: String, format: ImageFormat, detail: String)
    /// The header gives a zero width or height.
    case zeroSize(name: String, format: ImageFormat, detail: String)
    /// The header gives more pixels than the decoder allocates (2^28).
    case tooLarge(name: String, format: ImageFormat, detail: String)
    /// A valid file of a kind LumenIO does not decode, such as an animated WebP.
    case unsupported(name: String, format: ImageFormat, detail: String)

    /// The file named in the message.
    public var name: String {
        switch self {
        case .fileNotFound(let name), .unreadable(let name, _), .emptyFile(let name),
             .unrecognizedFormat(let name, _), .corrupt(let name, _, _), .zeroSize(let name, _, _),
             .tooLarge(let name, _, _), .unsupported(let name, _, _):
            name
        }
    }

    public var errorDescription: String? {
        let problem = switch self {
        case .fileNotFound: "no such file"
        case .unreadable(_, let reason): "cannot read file (\(reason))"
        case .emptyFile: "empty file"
        case .unrecognizedFormat(_, let bytes):
            "not a \(ImageFormat.namesForMessages) file (first bytes \(bytes.map { hexByte($0) }.joined(separator: " ")))"
        case .corrupt(_, let format, let detail): "truncated or corrupt \(format) (\(format.libraryName): \(detail))"
        case .zeroSize(_, let format, let detail): "\(format) has zero width or height (\(detail))"
        case .tooLarge(_, let format, let detail): "\(format) too large to decode (\(detail))"
        case .unsupported(_, let format, let detail): "unsupported \(format) (\(detail))"
        }
        return "\(name): \(problem)"
    }
}

/// `0x4B` as `4B`.
private func hexByte(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16, uppercase: true)
    return byte < 16 ? "0" + digits : digits
}
