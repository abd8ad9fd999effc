import Foundation
import LumenTensor

/// The constants of SSIM (Wang et al. 2004), as scikit-image's
/// `structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1)`
/// uses them; shared by ``ssim(_:_:)``, ``msSSIM(_:_:)`` and the SSIM loss.
public enum SSIMParameters {
    /// Standard deviation of the Gaussian window, in pixels.
    public static let sigma = 1.5
    /// Half-width of the window, SciPy's `int(3.5 · σ + 0.5)`: 11 taps.
    public static let radius = 5
    /// The normalised 1-D window `exp(−i² / 2σ²) / Σ` for `i = −radius ... radius`;
    /// the 2-D window is the outer product of these taps with themselves.
    public static let taps: [Double] = {
        let weights = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }()
    /// The luminance term's stabiliser for data range 1, `(0.01 · 1)²`.
    public static let c1 = 0.0001
    /// The contrast-structure term's stabiliser for data range 1, `(0.03 · 1)²`.
    public static let c2 = 0.0009
    /// The smallest height and width SSIM accepts: the window, 11 pixels.
    public static let minimumSide = 2 * radius + 1
}

/// Mean structural similarity (Wang, Bovik, Sheikh & Simoncelli 2004,
/// https://ece.uwaterloo.ca/~z70wang/publications/ssim.pdf) over the channels:
/// `SSIM = (2 μx μy + C1)(2 σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))` with
/// local statistics from an 11 x 11 Gaussian window (σ = 1.5, population
/// covariances), averaged over the pixels where the window fits inside the image,
/// then over the channels.
///
/// Equals scikit-image's `structural_similarity(image, reference,
/// gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1,
/// channel_axis=…)`: scikit-image filters with reflected borders but then crops
/// `(11 − 1) / 2` pixels from every side before averaging, which leaves exactly
/// the pixels computed here without padding. Accumulates in double precision.
///
/// ```swift
/// let similarity = ssim(enhanced, groundTruth)   // 1 for identical images
/// ```
/// - Parameters:
///   - image: `[1, C, H, W]` in `[0, 1]`, `H` and `W` at least 11.
///   - reference: the ground truth, the same shape.
public func ssim(_ image: Tensor, _ reference: Tensor) -> Double {
    let (height, width) = pairSize(image, reference, for: "SSIM")
    precondition(min(height, width) >= SSIMParameters.minimumSide,
                 "SSIM of a \(width)x\(height) image; needs at least 11x11")
    let channels = zip(Plane.channels(of: image), Plane.channels(of: reference))
    let values = channels.map { SSIMStatistics($0, $1).similarity }
    return values.reduce(0, +) / Double(values.count)
}

/// SSIM of the luma channel only, Y of MATLAB's `rgb2ycbcr` (``YCbCr/Range/studio``),
/// as ``ssim(_:_:)`` computes it on one channel (BasicSR's `test_y_channel` convention).
/// - Parameters:
///   - image: RGB `[1, 3, H, W]` in `[0, 1]`, `H` and `W` at least 11.
///   - reference: the ground truth, the same shape.
public func ssimY(_ image: Tensor, _ reference: Tensor) -> Double {
    _ = pairSize(image, reference, channels: 3, for: "SSIM-Y")
    return ssim(YCbCr.luma(image, range: .studio), YCbCr.luma(reference, range: .studio))
}

/// The means of the SSIM map and of its contrast-structure factor
/// `(2 σxy + C2) / (σx² + σy² + C2)` over the valid region of one channel.
struct SSIMStatistics {
    let similarity: Double
    let contrastStructure: Double

    init(_ x: Plane<Double>, _ y: Plane<Double>) {
        let taps = SSIMParameters.taps
        let meanX = x.filteredValid(separable: taps), meanY = y.filteredValid(separable: taps)
        let squaresX = Plane.combining(x, x, *).filteredValid(separable: taps)
        let squaresY = Plane.combining(y, y, *).filteredValid(separable: taps)
        let products = Plane.combining(x, y, *).filteredValid(separable: taps)
        let (c1, c2) = (SSIMParameters.c1, SSIMParameters.c2)
        var similarity = 0.0, contrastStructure = 0.0
        for index in meanX.values.indices {
            let (mx, my) = (meanX.values[index], meanY.values[index])
            let varianceX = squaresX.values[index] - mx * mx, varianceY = squaresY.values[index] - my * my
            let covariance = products.values[index] - mx * my
            let luminance = (2 * mx * my + c1) / (mx * mx + my * my + c1)
            let structure = (2 * covariance + c2) / (varianceX + varianceY + c2)
            similarity += luminance * structure
            contrastStructure += structure
        }
        let count = Double(meanX.values.count)
        (self.similarity, self.contrastStructure) = (similarity / count, contrastStructure / count)
    }
}
