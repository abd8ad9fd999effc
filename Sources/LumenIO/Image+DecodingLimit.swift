import CImageCodecs
import Foundation

extension Image {
    /// The most pixels a decoder allocates; larger images are refused with
    /// ``ImageDecodingError/tooLarge(name:format:detail:)`` before any pixel is read,
    /// so a small hostile file cannot claim gigabytes. Process-wide, for every format.
    ///
    /// The default is 2^28 (about 268 megapixels), also the most it can be set to.
    /// Enhancing an image takes about 58 bytes per pixel, so a 268-megapixel one needs
    /// some 15 GB: ``memoryBoundedMaximumPixels`` is the limit this machine's memory
    /// allows, which `lumen` uses unless `--max-pixels` says otherwise.
    public static var maximumPixels: Int {
        get { Int(lumen_codec_max_pixels()) }
        set {
            precondition(newValue >= 1, "the decoding limit must be at least one pixel, got \(newValue)")
            lumen_codec_set_max_pixels(UInt64(newValue))
        }
    }

    /// The largest limit ``maximumPixels`` takes.
    public static let maximumPixelsCeiling = Int(LUMEN_CODEC_MAX_PIXELS)

    /// Bytes per pixel that enhancing an image takes at its peak: decoded samples,
    /// float input and output tensors, the tiles' working memory and the encoded output.
    public static let enhancementBytesPerPixel = 58

    /// The decoding limit at which enhancing the largest image fits in 90% of this
    /// machine's memory, at most ``maximumPixelsCeiling``.
    public static var memoryBoundedMaximumPixels: Int {
        let affordable = Double(ProcessInfo.processInfo.physicalMemory) * 0.9 / Double(enhancementBytesPerPixel)
        return max(1, min(maximumPixelsCeiling, Int(affordable)))
    }
}
