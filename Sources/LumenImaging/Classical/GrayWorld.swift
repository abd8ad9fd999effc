import LumenTensor

/// Gray-world white balance (Buchsbaum 1980): each channel is scaled so that its
/// mean becomes the mean of the three channel means.
///
/// Reproduces `gray_world` in the reference script `tools/peers/classic.py` on bytes
/// `v8 = rint(v · 255)`: single-precision channel means (summed pixel by pixel, as
/// NumPy sums along a strided axis), `gain = mean(means) / max(mean_c, 10⁻⁶)`,
/// `out = trunc(clamp(v8 · gain, 0, 255)) / 255`.
/// - Parameter image: RGB image `[N, 3, H, W]` in `[0, 1]`.
/// - Returns: The same shape; each image balanced on its own.
public func grayWorldBalanced(_ image: Tensor) -> Tensor {
    mappingImageBuffers(image) { image in
        let means = image.quantizedChannelSums().map { $0 / Float(image.planeSize) }
        // The reference works on OpenCV's BGR arrays, so it adds the means blue first.
        let gray = (means[2] + means[1] + means[0]) / 3
        image.writeLevels(means.map { mean in
            let gain = gray / max(mean, 1e-6)
            return (0..<256).map { Float(UInt8(min(max(Float($0) * gain, 0), 255))) / 255 }
        })
    }
}

extension ImageBuffers {
    /// The sums of the quantised values of each channel in single precision, added
    /// one pixel after another from the first.
    ///
    /// Once a sum passes 2^24 every addition rounds, so the order is part of the
    /// result and the sums cannot be split over threads; the three run side by side
    /// in one loop, which is bound by the latency of the additions.
    func quantizedChannelSums() -> [Float] {
        var sums: (Float, Float, Float) = (0, 0, 0)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 3 * Self.block) { scratch in
            let bytes = (scratch.baseAddress!, scratch.baseAddress! + Self.block, scratch.baseAddress! + 2 * Self.block)
            for start in stride(from: 0, to: planeSize, by: Self.block) {
                let count = min(Self.block, planeSize - start)
                quantize(input + start, into: bytes.0, count: count)
                quantize(input + planeSize + start, into: bytes.1, count: count)
                quantize(input + 2 * planeSize + start, into: bytes.2, count: count)
                for index in 0..<count {
                    sums.0 += Float(bytes.0[index])
                    sums.1 += Float(bytes.1[index])
                    sums.2 += Float(bytes.2[index])
                }
            }
        }
        return [sums.0, sums.1, sums.2]
    }
}
