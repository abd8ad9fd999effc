import LumenTensor

/// Unsharp masking: each channel gains `amount` times its difference from a
/// Gaussian-blurred copy, `out = clamp(v + amount · (v − G_σ ∗ v), 0, 1)`, where
/// `|v − G_σ ∗ v| ≥ threshold`; smaller differences (noise, flat areas) are left
/// unchanged.
///
/// ```swift
/// let sharper = UnsharpMask(sigma: 1.5, amount: 0.8).applied(to: image)
/// ```
public struct UnsharpMask: Equatable, Sendable {
    /// Standard deviation of the blur, in pixels: the size of the details enhanced.
    public let sigma: Float
    /// Strength: 1 doubles the local contrast of details.
    public let amount: Float
    /// Smallest difference from the blurred copy that is sharpened, in `[0, 1]` units.
    public let threshold: Float

    /// Creates the method; the defaults sharpen fine detail moderately.
    public init(sigma: Float = 1, amount: Float = 1, threshold: Float = 0) {
        precondition(sigma > 0, "sigma \(sigma); expected a positive value")
        precondition(threshold >= 0, "threshold \(threshold); expected at least 0")
        self.sigma = sigma
        self.amount = amount
        self.threshold = threshold
    }

    /// Sharpens each image.
    /// - Parameter image: RGB image `[N, 3, H, W]` in `[0, 1]`.
    /// - Returns: The same shape, in `[0, 1]`.
    public func applied(to image: Tensor) -> Tensor {
        let blur = GaussianBlur(sigma: sigma)
        return mappingImages(image) { planes in
            planes.map { plane in
                plane.combined(with: blur(plane)) { [amount, threshold] value, blurred in
                    let detail = value - blurred
                    return Swift.abs(detail) < threshold ? value : min(max(value + amount * detail, 0), 1)
                }
            }
        }
    }
}
