import LumenIO

extension Image {
    /// The image resized to `width` x `height` as MATLAB's `imresize(image, [height width])`
    /// with its defaults: bicubic (Keys, `a = −0.5`), antialiased when shrinking (the
    /// kernel widened by the scale), symmetric borders, the height pass first, in
    /// double precision. The resize every super-resolution benchmark makes its
    /// low-resolution inputs and its bicubic baseline with.
    ///
    /// Samples are rounded half away from zero and saturated to the bit depth, as
    /// MATLAB does on a `double` image converted back (not as it does on a `uint8`
    /// array, which also rounds between the two passes). Every channel, alpha
    /// included, is resized alike.
    ///
    /// ```swift
    /// let low = hr.resizedLikeMATLAB(width: hr.width / 4, height: hr.height / 4)
    /// let bicubic = low.resizedLikeMATLAB(width: hr.width, height: hr.height)
    /// ```
    public func resizedLikeMATLAB(width outWidth: Int, height outHeight: Int) -> Image {
        let maximum = Double(maximumValue)
        let samples = resizedSamplesLikeMATLAB(width: outWidth, height: outHeight).map { value in
            UInt16(min(max(value.rounded(.toNearestOrAwayFromZero), 0), maximum))
        }
        return Image(width: outWidth, height: outHeight, channels: channels, bitDepth: bitDepth, samples: samples)
    }

    /// ``resizedLikeMATLAB(width:height:)`` before rounding: interleaved
    /// `[height, width, channels]` doubles on the image's scale (`0...255` for 8 bits),
    /// which overshoot it slightly near edges, as the bicubic kernel does.
    public func resizedSamplesLikeMATLAB(width outWidth: Int, height outHeight: Int) -> [Double] {
        precondition(outWidth >= 1 && outHeight >= 1, "resize to \(outWidth) x \(outHeight)")
        var result = [Double](repeating: 0, count: outWidth * outHeight * channels)
        for channel in 0..<channels {
            let plane = Plane(width: width, height: height,
                              values: stride(from: channel, to: samples.count, by: channels).map { Double(samples[$0]) })
            let resized = plane.resizedLikeMATLAB(height: outHeight, width: outWidth)
            for (index, value) in resized.values.enumerated() { result[index * channels + channel] = value }
        }
        return result
    }
}
