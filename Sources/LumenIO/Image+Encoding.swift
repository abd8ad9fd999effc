import Foundation

extension Image {
    /// Encodes the image as a PNG, JPEG, TIFF, WebP or BMP file.
    ///
    /// - PNG and TIFF are lossless, 8- or 16-bit, any channel count; TIFF is one
    ///   deflate-compressed page with unassociated alpha.
    /// - JPEG is 8-bit gray or RGB at `quality`.
    /// - WebP is 8-bit RGB or RGBA (gray is stored as RGB): lossy at `quality` 1...99,
    ///   and **lossless at quality 100**, keeping even the colour under transparent
    ///   pixels, so `quality: 100` round-trips exactly.
    /// - BMP is 8-bit: 24-bit RGB, or 32-bit RGBA (a BITMAPV4HEADER with an alpha mask)
    ///   when the image has alpha; gray is stored as RGB.
    ///
    /// - Parameters:
    ///   - format: The file format.
    ///   - quality: JPEG and WebP quality, `1...100`; the other formats do not use it.
    ///   - bitDepth: One of `format.bitDepths`; `nil` keeps the image's depth where the
    ///     format can store it, else 8. Samples are rescaled as in ``converted(toBitDepth:)``.
    /// - Returns: A complete file.
    /// - Throws: ``ImageEncodingError`` for a bit depth, channel count or quality the
    ///   format cannot take (JPEG stores no alpha: use ``colorChannels`` to drop it).
    public func encoded(as format: ImageFormat, quality: Int = 95, bitDepth: Int? = nil)
        throws(ImageEncodingError) -> Data
    {
        let depth = bitDepth ?? (format.bitDepths.contains(self.bitDepth) ? self.bitDepth : 8)
        guard format.bitDepths.contains(depth) else { throw .unsupportedBitDepth(depth, format: format) }
        if format == .jpeg, hasAlpha { throw .unsupportedChannelCount(channels, format: format) }
        if format == .jpeg || format == .webp, !(1...100).contains(quality) {
            throw .qualityOutOfRange(quality, format: format)
        }
        let image = format == .webp || format == .bmp ? colorExpanded() : self
        return try ImageCodec.encode(image.converted(toBitDepth: depth), format: format, quality: quality)
    }

    /// Encodes the image and writes it atomically: a failed write leaves no partial
    /// file, and an existing file is replaced whole or not at all.
    ///
    /// ```swift
    /// try enhanced.write(to: URL(fileURLWithPath: "out/night.jpg"), quality: 90)
    /// ```
    /// - Parameters:
    ///   - url: A file URL in an existing directory.
    ///   - format: The file format; `nil` infers it from the extension (``ImageFormat/init(pathExtension:)``).
    ///   - quality: JPEG and WebP quality, `1...100` (WebP 100 is lossless).
    ///   - bitDepth: As in ``encoded(as:quality:bitDepth:)``.
    /// - Throws: ``ImageWriteError`` naming the path.
    public func write(to url: URL, format: ImageFormat? = nil, quality: Int = 95, bitDepth: Int? = nil)
        throws(ImageWriteError)
    {
        let path = url.relativePath
        guard let format = format ?? ImageFormat(pathExtension: url.pathExtension) else {
            throw .unknownExtension(path: path)
        }
        let data: Data
        do {
            data = try encoded(as: format, quality: quality, bitDepth: bitDepth)
        } catch {
            throw .encodingFailed(path: path, error)
        }
        do {
            try AtomicFile.write(data, to: url)
        } catch {
            throw .fileSystem(error)
        }
    }
}
