/// A decoded raster image: 1 to 4 interleaved channels of 8- or 16-bit samples.
///
/// Samples are stored row-major as `[height, width, channels]` in one `[UInt16]`
/// whatever the bit depth, so 8- and 16-bit images share every code path; an
/// 8-bit image holds values in `0...255`, a 16-bit one in `0...65535`. Channels
/// are gray (1), gray + alpha (2), RGB (3) or RGBA (4). Alpha is straight
/// (not premultiplied), as in PNG.
///
/// ```swift
/// let photo = try Image(contentsOf: URL(fileURLWithPath: "night.jpg"))
/// let input = photo.rgb().tensor()          // [1, 3, H, W] in [0, 1]
/// try Image(tensor: output).write(to: URL(fileURLWithPath: "night-enhanced.png"))
/// ```
public struct Image: Sendable, Equatable {
    /// Width in pixels, at least 1.
    public let width: Int
    /// Height in pixels, at least 1.
    public let height: Int
    /// Samples per pixel: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA.
    public let channels: Int
    /// Bits per sample, 8 or 16.
    public let bitDepth: Int
    /// Interleaved samples, row-major `[height, width, channels]`, each at most ``maximumValue``.
    public let samples: [UInt16]

    /// Creates an image from interleaved samples.
    ///
    /// - Parameters:
    ///   - width: Width in pixels, at least 1.
    ///   - height: Height in pixels, at least 1.
    ///   - channels: 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA).
    ///   - bitDepth: 8 or 16.
    ///   - samples: `width * height * channels` values, row-major `[height, width, channels]`,
    ///     each at most `2^bitDepth - 1`.
    public init(width: Int, height: Int, channels: Int, bitDepth: Int = 8, samples: [UInt16]) {
        precondition(width >= 1 && height >= 1, "image size \(width) x \(height)")
        precondition((1...4).contains(channels), "\(channels) channels; expected 1 to 4")
        precondition(bitDepth == 8 || bitDepth == 16, "bit depth \(bitDepth); expected 8 or 16")
        precondition(samples.count == width * height * channels,
                     "\(samples.count) samples for \(width) x \(height) x \(channels)")
        // An OR over all samples vectorises; `allSatisfy` took ~8 ms on a 1080p image.
        precondition(bitDepth == 16 || samples.withUnsafeBufferPointer { $0.reduce(0, |) } <= 255,
                     "8-bit image with a sample above 255")
        self.width = width
        self.height = height
        self.channels = channels
        self.bitDepth = bitDepth
        self.samples = samples
    }

    /// The largest sample value, `2^bitDepth - 1` (255 or 65535).
    public var maximumValue: Int { (1 << bitDepth) - 1 }

    /// Whether the last channel is alpha (2 or 4 channels).
    public var hasAlpha: Bool { channels == 2 || channels == 4 }

    /// The sample of `channel` at column `x`, row `y` (origin top left).
    public subscript(x: Int, y: Int, channel: Int) -> UInt16 {
        precondition(x >= 0 && x < width && y >= 0 && y < height && channel >= 0 && channel < channels,
                     "pixel (\(x), \(y)) channel \(channel) outside \(width) x \(height) x \(channels)")
        return samples[(y * width + x) * channels + channel]
    }

    /// The same image with samples rescaled to another bit depth.
    ///
    /// 8 to 16 bits multiplies by 257, so `255` becomes `65535` and converting back is exact;
    /// 16 to 8 bits rounds `v * 255 / 65535` to nearest.
    /// - Parameter bitDepth: 8 or 16.
    public func converted(toBitDepth bitDepth: Int) -> Image {
        precondition(bitDepth == 8 || bitDepth == 16, "bit depth \(bitDepth); expected 8 or 16")
        if bitDepth == self.bitDepth { return self }
        let rescaled = bitDepth == 16
            ? samples.map { $0 * 257 }
            : samples.map { UInt16((UInt32($0) * 255 + 32_767) / 65_535) }
        return Image(width: width, height: height, channels: channels, bitDepth: bitDepth, samples: rescaled)
    }

    /// The image as 3-channel RGB, for models that take colour input.
    ///
    /// Gray is replicated to all three channels and alpha is dropped (not composited
    /// over a background); an RGB image is returned unchanged.
    public func rgb() -> Image {
        if channels == 3 { return self }
        let colorChannels = hasAlpha ? channels - 1 : channels
        var result = [UInt16]()
        result.reserveCapacity(width * height * 3)
        for pixel in stride(from: 0, to: samples.count, by: channels) {
            for channel in 0..<3 {
                result.append(samples[pixel + (colorChannels == 1 ? 0 : channel)])
            }
        }
        return Image(width: width, height: height, channels: 3, bitDepth: bitDepth, samples: result)
    }
}

extension Image: CustomStringConvertible {
    /// A summary such as `Image(480 x 640, 3 channels, 8-bit)`; the samples are left
    /// out so that test failures stay readable.
    public var description: String { "Image(\(width) x \(height), \(channels) channels, \(bitDepth)-bit)" }
}
