import CImageCodecs
import Foundation

/// The bridge to the C codecs in `CImageCodecs`: copies their buffers into
/// Swift values and their status codes into typed errors.
enum ImageCodec {
    /// Decodes `data` in `format`, with the orientation of its stored pixels: a JPEG's
    /// EXIF orientation or a TIFF's Orientation tag (which uses the same values).
    ///
    /// The C decoders check the header's size against ``Image/maximumPixels``
    /// before they allocate anything.
    static func decode(_ data: Data, format: ImageFormat, name: String)
        throws(ImageDecodingError) -> (image: Image, orientation: EXIFOrientation?)
    {
        var decoded = lumen_decoded_image()
        defer { lumen_decoded_image_free(&decoded) }
        let status = data.withUnsafeBytes { bytes in
            let start = bytes.bindMemory(to: UInt8.self).baseAddress
            return switch format {
            case .png: lumen_png_decode(start, bytes.count, &decoded)
            case .jpeg: lumen_jpeg_decode(start, bytes.count, &decoded)
            case .tiff: lumen_tiff_decode(start, bytes.count, &decoded)
            case .webp: lumen_webp_decode(start, bytes.count, &decoded)
            case .bmp: lumen_bmp_decode(start, bytes.count, &decoded)
            }
        }
        let detail = message(decoded.message)
        switch status {
        case LUMEN_CODEC_OK: break
        case LUMEN_CODEC_ZERO_SIZE: throw .zeroSize(name: name, format: format, detail: detail)
        case LUMEN_CODEC_TOO_LARGE: throw .tooLarge(name: name, format: format, detail: detail)
        case LUMEN_CODEC_UNSUPPORTED: throw .unsupported(name: name, format: format, detail: detail)
        default: throw .corrupt(name: name, format: format, detail: detail)
        }
        let width = Int(decoded.width), height = Int(decoded.height), channels = Int(decoded.channels)
        let count = width * height * channels
        let samples: [UInt16] = decoded.bit_depth == 16
            ? Array(UnsafeBufferPointer(start: decoded.pixels.assumingMemoryBound(to: UInt16.self), count: count))
            : UnsafeBufferPointer(start: decoded.pixels.assumingMemoryBound(to: UInt8.self), count: count).map(UInt16.init)
        let exif = decoded.exif.map { Array(UnsafeBufferPointer(start: $0, count: decoded.exif_length)) }
        let image = Image(width: width, height: height, channels: channels, bitDepth: Int(decoded.bit_depth),
                          samples: samples)
        return (image, exif.flatMap(EXIFOrientation.init(exif:)) ?? EXIFOrientation(rawValue: UInt16(decoded.orientation)))
    }

    /// Encodes `image` as it is (bit depth and channels already checked for `format`;
    /// WebP and BMP take RGB or RGBA only).
    static func encode(_ image: Image, format: ImageFormat, quality: Int) throws(ImageEncodingError) -> Data {
        var encoded = lumen_encoded_buffer()
        defer { lumen_encoded_buffer_free(&encoded) }
        let (width, height, channels) = (Int32(image.width), Int32(image.height), Int32(image.channels))
        let status = switch (format, image.bitDepth) {
        case (.png, 16), (.tiff, 16):
            image.samples.withUnsafeBufferPointer {
                format == .png ? lumen_png_encode($0.baseAddress, width, height, channels, 16, &encoded)
                    : lumen_tiff_encode($0.baseAddress, width, height, channels, 16, &encoded)
            }
        case (_, _):
            image.samples.map { UInt8($0) }.withUnsafeBufferPointer { bytes in
                let start = bytes.baseAddress
                return switch format {
                case .png: lumen_png_encode(start, width, height, channels, 8, &encoded)
                case .tiff: lumen_tiff_encode(start, width, height, channels, 8, &encoded)
                case .jpeg: lumen_jpeg_encode(start, width, height, channels, Int32(quality), &encoded)
                case .webp: lumen_webp_encode(start, width, height, channels, Int32(quality), &encoded)
                case .bmp: lumen_bmp_encode(start, width, height, channels, &encoded)
                }
            }
        }
        guard status == LUMEN_CODEC_OK else {
            throw .encoderFailed(format: format, detail: message(encoded.message))
        }
        return Data(bytes: encoded.bytes, count: encoded.length)
    }

    /// A C message buffer (a fixed-size array imported as a tuple) as a String.
    private static func message<Buffer>(_ buffer: Buffer) -> String {
        withUnsafeBytes(of: buffer) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
