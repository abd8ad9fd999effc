import LumenTensor

extension Image {
    /// The samples as a `[1, channels, height, width]` float tensor in `[0, 1]`.
    ///
    /// An 8-bit value `v` becomes `Float(v) / 255`, which is bit-identical to
    /// PyTorch's `float64 / 255.0` followed by `.float()`; the golden fixtures rely on
    /// this. 16-bit values are divided by 65535. Alpha, if any, stays a channel.
    public func tensor() -> Tensor {
        let scale = Float(maximumValue)
        let planeSize = width * height
        return Tensor(shape: [1, channels, height, width]) { buffer in
            samples.withUnsafeBufferPointer { samples in
                for pixel in 0..<planeSize {
                    for channel in 0..<channels {
                        buffer[channel * planeSize + pixel] = Float(samples[pixel * channels + channel]) / scale
                    }
                }
            }
        }
    }

    /// Creates an image from a `[1, C, H, W]` or `[C, H, W]` tensor with values in `[0, 1]`.
    ///
    /// Values are clamped to `[0, 1]` (NaN becomes 0), scaled by `2^bitDepth - 1` and
    /// rounded to nearest, ties to even as in NumPy's `rint`. An image's
    /// ``tensor()`` converts back to the same image.
    /// - Parameters:
    ///   - tensor: 1 to 4 channels, at least 1 x 1 pixels.
    ///   - bitDepth: 8 or 16.
    public init(tensor: Tensor, bitDepth: Int = 8) {
        let dimensions = tensor.shape.dimensions
        precondition(dimensions.count == 3 || (dimensions.count == 4 && dimensions[0] == 1),
                     "image tensor of shape \(tensor.shape); expected [1, C, H, W] or [C, H, W]")
        let (channels, height, width) = (dimensions[dimensions.count - 3], dimensions[dimensions.count - 2],
                                         dimensions[dimensions.count - 1])
        precondition(bitDepth == 8 || bitDepth == 16, "bit depth \(bitDepth); expected 8 or 16")
        let scale = Float((1 << bitDepth) - 1)
        let planeSize = width * height
        let samples = tensor.withUnsafeBufferPointer { values in
            [UInt16](unsafeUninitializedCapacity: values.count) { samples, count in
                for pixel in 0..<planeSize {
                    for channel in 0..<channels {
                        let value = values[channel * planeSize + pixel]
                        let clamped = value.isNaN ? 0 : min(max(value, 0), 1)
                        samples[pixel * channels + channel] = UInt16((clamped * scale).rounded(.toNearestOrEven))
                    }
                }
                count = values.count
            }
        }
        self.init(width: width, height: height, channels: channels, bitDepth: bitDepth, samples: samples)
    }
}
