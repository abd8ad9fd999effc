extension Image {
    /// The colour channels alone (gray or RGB); the image itself when it has no alpha.
    ///
    /// With ``alphaChannel`` and ``addingAlpha(_:)`` this lets colour be processed
    /// on its own and the original alpha be put back unchanged:
    ///
    /// ```swift
    /// let lit = enhance(photo.rgb())   // rgb() drops alpha
    /// let result = photo.alphaChannel.map { lit.addingAlpha($0) } ?? lit
    /// ```
    public var colorChannels: Image {
        guard hasAlpha else { return self }
        return selecting(channels: 0..<(channels - 1))
    }

    /// The alpha channel as a 1-channel image of the same size and bit depth, or `nil`
    /// when the image has none.
    public var alphaChannel: Image? {
        hasAlpha ? selecting(channels: (channels - 1)..<channels) : nil
    }

    /// Whether every pixel is fully opaque (also true without an alpha channel).
    public var isOpaque: Bool {
        guard hasAlpha else { return true }
        let opaque = UInt16(maximumValue)
        return stride(from: channels - 1, to: samples.count, by: channels).allSatisfy { samples[$0] == opaque }
    }

    /// This image's colour with `alpha` appended as its alpha channel.
    ///
    /// - Parameter alpha: A 1-channel image of the same size, at any bit depth: it is
    ///   rescaled to this image's (``converted(toBitDepth:)``).
    /// - Returns: Gray + alpha or RGBA.
    public func addingAlpha(_ alpha: Image) -> Image {
        precondition(!hasAlpha, "\(self) already has an alpha channel")
        precondition(alpha.channels == 1 && alpha.width == width && alpha.height == height,
                     "alpha \(alpha) does not fit \(self)")
        let alphaSamples = alpha.converted(toBitDepth: bitDepth).samples
        let joinedChannels = channels + 1
        var joined = [UInt16](repeating: 0, count: width * height * joinedChannels)
        for pixel in 0..<(width * height) {
            for channel in 0..<channels {
                joined[pixel * joinedChannels + channel] = samples[pixel * channels + channel]
            }
            joined[pixel * joinedChannels + channels] = alphaSamples[pixel]
        }
        return Image(width: width, height: height, channels: channels + 1, bitDepth: bitDepth, samples: joined)
    }

    /// The image with gray expanded to RGB and alpha, if any, kept: what formats that
    /// store only RGB or RGBA (WebP, BMP) are given.
    func colorExpanded() -> Image {
        guard channels < 3 else { return self }
        let color = rgb()
        return alphaChannel.map { color.addingAlpha($0) } ?? color
    }

    /// The channels in `range`, in order.
    private func selecting(channels range: Range<Int>) -> Image {
        var selected = [UInt16](repeating: 0, count: width * height * range.count)
        for pixel in 0..<(width * height) {
            for (offset, channel) in range.enumerated() {
                selected[pixel * range.count + offset] = samples[pixel * channels + channel]
            }
        }
        return Image(width: width, height: height, channels: range.count, bitDepth: bitDepth, samples: selected)
    }
}
