import Foundation

extension Image {
    /// Reads and decodes a PNG, JPEG, TIFF, WebP or BMP file; JPEGs and TIFFs are turned
    /// upright by their EXIF orientation or Orientation tag.
    ///
    /// The format is taken from the file's first bytes, not its extension.
    ///
    /// ```swift
    /// let image = try Image(contentsOf: URL(fileURLWithPath: "photos/night.jpg"))
    /// ```
    /// - Parameter url: A file URL.
    /// - Throws: ``ImageDecodingError`` naming the path as given (`url.relativePath`).
    public init(contentsOf url: URL) throws(ImageDecodingError) {
        let name = url.relativePath
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch CocoaError.fileReadNoSuchFile {
            throw .fileNotFound(name: name)
        } catch {
            throw .unreadable(name: name, reason: Self.reason(for: error))
        }
        self = try Image.decode(data, name: name)
    }

    /// Decodes PNG, JPEG, TIFF, WebP or BMP bytes, sniffing the format from the signature.
    ///
    /// - PNG: any colour type at 1 to 16 bits; palettes and bit depths below 8 are
    ///   expanded, transparency (tRNS) becomes an alpha channel, and 16-bit files stay 16-bit.
    /// - JPEG: baseline or progressive, gray or colour, 8-bit, turned upright by its EXIF
    ///   orientation; CMYK and YCCK become RGB (inverted CMYK when an Adobe APP14 segment
    ///   says so). A truncated or damaged JPEG is an error rather than an image padded with grey.
    /// - TIFF: the **first page only**, any compression libtiff has, turned upright by its
    ///   Orientation tag; 1- to 16-bit gray, gray + alpha, RGB, RGBA and palette, contiguous
    ///   or planar, stay exact (8- or 16-bit); tiled, YCbCr, CMYK and other layouts are read
    ///   as 8-bit through libtiff's RGBA reader. Premultiplied alpha is converted to straight.
    /// - WebP: lossy or lossless, 8-bit RGB, or RGBA with alpha; animated files are refused.
    /// - BMP: 1-, 4-, 8-bit palettes (also RLE4/RLE8), 16-, 24- and 32-bit (also
    ///   BI_BITFIELDS), bottom-up or top-down, OS/2 core and V2 to V5 headers; 8-bit RGB,
    ///   or RGBA when the header has an alpha mask.
    ///
    /// No colour management or gamma is applied.
    ///
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - name: What error messages call the data, usually its file name.
    /// - Throws: ``ImageDecodingError``.
    public static func decode(_ data: Data, name: String) throws(ImageDecodingError) -> Image {
        guard !data.isEmpty else { throw .emptyFile(name: name) }
        guard let format = ImageFormat(sniffing: data) else {
            throw .unrecognizedFormat(name: name, firstBytes: Array(data.prefix(4)))
        }
        let (image, orientation) = try ImageCodec.decode(data, format: format, name: name)
        return orientation.map { image.oriented($0) } ?? image
    }

    /// The system's reason for a read failure ("Is a directory"), without Foundation's wrapping sentence.
    private static func reason(for error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }
}
