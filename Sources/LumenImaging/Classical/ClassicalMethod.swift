import LumenTensor

/// A classical (non-learned) enhancement method with its default parameters.
///
/// The raw values are the names `lumen enhance --method` accepts. The four methods
/// that OpenCV runs on bytes (`gamma`, `equalize`, `clahe`, `gray-world`) quantise
/// to 8 bits internally and reproduce OpenCV's output bytes; the others work in
/// single precision.
///
/// ```swift
/// let enhanced = ClassicalMethod.clahe.applied(to: try Image(contentsOf: url).tensor())
/// ```
public enum ClassicalMethod: String, CaseIterable, Sendable {
    case gamma, equalize, clahe, grayWorld = "gray-world", ssr, msrcr, lime, unsharp, autoLevels = "auto-levels"

    /// One-line description for `lumen enhance --method` help.
    public var summary: String {
        switch self {
        case .gamma: "gamma correction through an 8-bit table, gamma 2.2"
        case .equalize: "histogram equalisation of luma (Y of YCrCb), as OpenCV equalizeHist"
        case .clahe: "CLAHE on Lab lightness, clip limit 2, 8 x 8 tiles, as OpenCV"
        case .grayWorld: "gray-world white balance: equal channel means"
        case .ssr: "single-scale Retinex, sigma 80, 1% stretch per channel"
        case .msrcr: "multi-scale Retinex with colour restoration, sigmas 15/80/250"
        case .lime: "LIME-style illumination map (guided filter), gamma 0.8"
        case .unsharp: "unsharp masking, sigma 1, amount 1"
        case .autoLevels: "auto levels: 0.5% percentile stretch per channel"
        }
    }

    /// The method applied to an RGB image `[1, 3, H, W]` in [0, 1]; returns the same shape.
    ///
    /// Batches `[N, 3, H, W]` are accepted too; each image is processed on its own.
    public func applied(to image: Tensor) -> Tensor {
        switch self {
        case .gamma: gammaCorrected(image)
        case .equalize: histogramEqualized(image)
        case .clahe: CLAHE().applied(to: image)
        case .grayWorld: grayWorldBalanced(image)
        case .ssr: SingleScaleRetinex().applied(to: image)
        case .msrcr: MSRCR().applied(to: image)
        case .lime: LIME().applied(to: image)
        case .unsharp: UnsharpMask().applied(to: image)
        case .autoLevels: AutoLevels().applied(to: image)
        }
    }
}
