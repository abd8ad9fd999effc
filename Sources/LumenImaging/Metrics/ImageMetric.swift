import LumenTensor

/// An image-quality metric, by its command-line name.
///
/// The thin wrapper that `lumen eval` and `lumen metrics` use: it checks what a
/// user can get wrong (sizes, a missing reference, a gray or RGBA file) and calls
/// the metric's pure function (``psnr(_:_:maxValue:)``, ``ssim(_:_:)``, ``niqe(_:)``, …).
///
/// ```swift
/// let score = try ImageMetric.ssim.measure(enhanced, input: nil, reference: groundTruth)
/// ```
public enum ImageMetric: String, CaseIterable, Sendable {
    /// Peak signal-to-noise ratio over the RGB channels, ``psnr(_:_:maxValue:)``.
    case psnr
    /// PSNR of the luma channel (BasicSR's convention), ``psnrY(_:_:)``.
    case psnrY = "psnr-y"
    /// Structural similarity averaged over the RGB channels, ``ssim(_:_:)``.
    case ssim
    /// SSIM of the luma channel, ``ssimY(_:_:)``.
    case ssimY = "ssim-y"
    /// Multi-scale SSIM, ``msSSIM(_:_:)``.
    case msSSIM = "ms-ssim"
    /// Lightness order error against the original input, ``lightnessOrderError(_:input:)``.
    case loe
    /// Natural image quality evaluator, ``niqe(_:)``.
    case niqe
    /// Blind/referenceless image spatial quality evaluator, ``brisque(_:)``.
    case brisque
    /// Underwater image quality measure, ``uiqm(_:)``.
    case uiqm
    /// Underwater colour image quality evaluation, ``uciqe(_:)``.
    case uciqe
    /// Shannon entropy of the gray levels, ``entropy(_:)``.
    case entropy
    /// Hasler and Süsstrunk's colourfulness, ``colorfulness(_:)``.
    case colorfulness
    /// Distance of the local brightness from well exposed, ``exposureError(_:patchSize:wellExposedLevel:)``.
    case exposureError = "exposure-error"
    /// Distance of the mean colour from gray, ``colorError(_:)``.
    case colorError = "color-error"

    /// What the metric compares the enhanced image with.
    public enum Requirement: Sendable {
        /// A paired ground truth (PSNR, SSIM, MS-SSIM).
        case reference
        /// The original low-light image the result was enhanced from (LOE).
        case input
        /// Nothing: a no-reference metric.
        case none
    }

    /// What the metric compares the enhanced image with.
    public var requirement: Requirement {
        switch self {
        case .psnr, .psnrY, .ssim, .ssimY, .msSSIM: .reference
        case .loe: .input
        case .niqe, .brisque, .uiqm, .uciqe, .entropy, .colorfulness, .exposureError, .colorError: .none
        }
    }

    /// Whether larger values are better (PSNR) or worse (NIQE, BRISQUE, LOE).
    public var higherIsBetter: Bool {
        switch self {
        case .loe, .niqe, .brisque, .exposureError, .colorError: false
        case .psnr, .psnrY, .ssim, .ssimY, .msSSIM, .uiqm, .uciqe, .entropy, .colorfulness: true
        }
    }

    /// Display name for tables, e.g. "PSNR (dB)", "SSIM", "NIQE".
    public var displayName: String {
        switch self {
        case .psnr: "PSNR (dB)"
        case .psnrY: "PSNR-Y (dB)"
        case .ssim: "SSIM"
        case .ssimY: "SSIM-Y"
        case .msSSIM: "MS-SSIM"
        case .loe: "LOE"
        case .niqe: "NIQE"
        case .brisque: "BRISQUE"
        case .uiqm: "UIQM"
        case .uciqe: "UCIQE"
        case .entropy: "Entropy (bits)"
        case .colorfulness: "Colorfulness"
        case .exposureError: "Exposure error"
        case .colorError: "Colour error"
        }
    }

    /// Measures `image` (`[1, 3, H, W]` in `[0, 1]`; a gray `[1, 1, H, W]` image is
    /// treated as RGB with equal channels).
    /// - Parameters:
    ///   - image: the enhanced image.
    ///   - input: the original the image was enhanced from; used by LOE only.
    ///   - reference: the ground truth; used by the full-reference metrics only.
    /// - Throws: ``MetricError`` when the sizes differ, the reference or input the
    ///   metric needs is missing, the image is too small for the metric, or it has
    ///   neither 1 nor 3 channels.
    public func measure(_ image: Tensor, input: Tensor?, reference: Tensor?) throws -> Double {
        let image = try rgb(image)
        let (height, width) = (image.shape[2], image.shape[3])
        let other: Tensor?
        switch requirement {
        case .reference:
            guard let reference else { throw MetricError.missingReference(metric: self) }
            other = try rgb(reference)
        case .input:
            guard let input else { throw MetricError.missingInput(metric: self) }
            other = try rgb(input)
        case .none:
            other = nil
        }
        if let other, other.shape != image.shape {
            throw MetricError.sizeMismatch(metric: self, image: image.shape, other: other.shape)
        }
        guard accepts(width: width, height: height) else {
            throw MetricError.imageTooSmall(metric: self, width: width, height: height)
        }
        return if let other { compared(image, with: other) } else { scored(image) }
    }

    /// A full-reference metric or LOE of `image` against `other`.
    private func compared(_ image: Tensor, with other: Tensor) -> Double {
        switch self {
        case .psnr: LumenImaging.psnr(image, other)
        case .psnrY: LumenImaging.psnrY(image, other)
        case .ssim: LumenImaging.ssim(image, other)
        case .ssimY: LumenImaging.ssimY(image, other)
        case .msSSIM: LumenImaging.msSSIM(image, other)
        case .loe: lightnessOrderError(image, input: other)
        case .niqe, .brisque, .uiqm, .uciqe, .entropy, .colorfulness, .exposureError, .colorError:
            preconditionFailure("\(rawValue) compares with nothing")
        }
    }

    /// A no-reference metric of `image`.
    private func scored(_ image: Tensor) -> Double {
        switch self {
        case .niqe: LumenImaging.niqe(image)
        case .brisque: LumenImaging.brisque(image)
        case .uiqm: LumenImaging.uiqm(image)
        case .uciqe: LumenImaging.uciqe(image)
        case .entropy: LumenImaging.entropy(image)
        case .colorfulness: LumenImaging.colorfulness(image)
        case .exposureError: LumenImaging.exposureError(image)
        case .colorError: LumenImaging.colorError(image)
        case .psnr, .psnrY, .ssim, .ssimY, .msSSIM, .loe: preconditionFailure("\(rawValue) needs a second image")
        }
    }

    /// `image` with three channels: RGB as it is, gray replicated.
    private func rgb(_ image: Tensor) throws -> Tensor {
        precondition(image.shape.rank == 4 && image.shape[0] == 1,
                     "\(rawValue) of a tensor of shape \(image.shape); expected one image [1, C, H, W]")
        switch image.shape[1] {
        case 3: return image
        case 1: return Gray.toRGB(image)
        case let channels: throw MetricError.unsupportedChannelCount(metric: self, channels: channels)
        }
    }

    /// Whether a `width` x `height` image is large enough for the metric.
    func accepts(width: Int, height: Int) -> Bool {
        switch self {
        case .ssim, .ssimY: min(width, height) >= SSIMParameters.minimumSide
        case .msSSIM: min(width, height) >= MultiScaleSSIM.minimumSide
        case .niqe: (width / 96) * (height / 96) >= 2
        case .brisque, .uiqm: min(width, height) >= 8
        case .exposureError: min(width, height) >= 16
        case .psnr, .psnrY, .loe, .uciqe, .entropy, .colorfulness, .colorError: width >= 1 && height >= 1
        }
    }

    /// The smallest size the metric accepts, in words, for ``MetricError``.
    var minimumSizeDescription: String {
        switch self {
        case .ssim, .ssimY: "at least 11x11 pixels (its Gaussian window)"
        case .msSSIM: "at least 161x161 pixels (an 11x11 window at its fifth scale)"
        case .niqe: "room for two 96x96 blocks (at least 192x96 pixels)"
        case .uiqm: "at least 8x8 pixels (one block)"
        case .brisque: "at least 8x8 pixels"
        case .exposureError: "at least 16x16 pixels (one patch)"
        case .psnr, .psnrY, .loe, .uciqe, .entropy, .colorfulness, .colorError: "at least one pixel"
        }
    }
}
