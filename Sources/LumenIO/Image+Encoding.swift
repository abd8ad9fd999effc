import Foundation

extension Image {
    /// Encodes the image as PNG or JPEG bytes.
    ///
    /// - Parameters:
    ///   - format: The file format.
    ///   - quality: JPEG quality, `1...100`; PNG is lossless and does not use it.
    ///   - bitDepth: 8 or 16 for PNG, 8 for JPEG; `nil` keeps the image's depth for PNG
    ///     and uses 8 for JPEG. Samples are rescaled as in ``converted(toBitDepth:)``.
    /// - Returns: A complete file.
    /// - Throws: ``ImageEncodingError`` for a bit depth, channel count or quality the
    ///   format cannot take (JPEG stores gray or RGB only: call ``rgb()`` to drop alpha).
    public func encoded(as format: ImageFormat, quality: Int = 95, bitDepth: Int? = nil)
        throws(ImageEncodingError) -> Data
    {
        let depth = bitDepth ?? (format == .jpeg ? 8 : self.bitDepth)
        switch format {
        case .png:
            guard depth == 8 || depth == 16 else { throw .unsupportedBitDepth(depth, format: format) }
        case .jpeg:
            guard depth == 8 else { throw .unsupportedBitDepth(depth, format: format) }
            guard channels == 1 || channels == 3 else { throw .unsupportedChannelCount(channels, format: format) }
            guard (1...100).contains(quality) else { throw .qualityOutOfRange(quality) }
        }
        return try ImageCodec.encode(converted(toBitDepth: depth), format: format, quality: quality)
    }

    /// Encodes the image and writes it atomically: a failed write leaves no partial
    /// file, and an existing file is replaced whole or not at all.
    ///
    /// ```swift
    /// try enhanced.write(to: URL(fileURLWithPath: "out/night.jpg"), quality: 90)
    /// ```
    /// - Parameters:
    ///   - url: A file URL in an existing directory.
    ///   - format: The file format; `nil` infers it from the extension (`png`, `jpg`, `jpeg`).
    ///   - quality: JPEG quality, `1...100`.
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
