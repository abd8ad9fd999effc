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
    mappingQuantizedImages(image) { rgb in
        let means = rgb.map { plane in
            plane.values.reduce(Float(0)) { $0 + Float($1) } / Float(plane.values.count)
        }
        // The reference works on OpenCV's BGR arrays, so it adds the means blue first.
        let gray = (means[2] + means[1] + means[0]) / 3
        return zip(rgb, means).map { plane, mean in
            let gain = gray / max(mean, 1e-6)
            return plane.mapped { UInt8(min(max(Float($0) * gain, 0), 255)) }
        }
    }
}
