import Foundation
import LumenTensor

/// Random augmentations for supervised training that keep an input aligned with
/// its targets (a reference image, an alpha matte, ...).
///
/// Spatial transforms (crop, resized crop, flips, rotations by 90 degrees) are drawn
/// once and applied identically to the input and every target; photometric ones
/// (colour jitter, gamma, noise, Gaussian and motion blur, erasing) change the input
/// only, so the targets stay the ground truth. Every draw comes from the generator:
/// a seeded generator reproduces the result.
///
/// ```swift
/// var augmentation = AlignedAugmentation(cropSize: 128)
/// augmentation.brightness = 0.2
/// let (input, targets) = augmentation.applied(to: low, targets: [high], using: &generator)
/// ```
public struct AlignedAugmentation: Sendable {
    /// The side of the square crop, or `nil` to keep the whole image.
    public var cropSize: Int?
    /// When set, the crop is a random resized crop: a square covering this fraction of
    /// the shorter side, resized (bilinear) to ``cropSize``.
    public var resizedCropScale: ClosedRange<Float>?
    /// Probability of a horizontal flip.
    public var horizontalFlipProbability: Float = 0.5
    /// Probability of a vertical flip.
    public var verticalFlipProbability: Float = 0
    /// Whether to rotate by a random multiple of 90 degrees (square crops keep their size).
    public var rotates90 = false

    /// Brightness jitter: the input is multiplied by a factor in `1 ± brightness`.
    public var brightness: Float = 0
    /// Contrast jitter: deviations from the image mean are scaled by `1 ± contrast`.
    public var contrast: Float = 0
    /// Saturation jitter: deviations from the gray level are scaled by `1 ± saturation`.
    public var saturation: Float = 0
    /// Random gamma `x^γ` for γ in this range, or `nil`.
    public var gamma: ClosedRange<Float>?
    /// Standard deviation range of additive Gaussian noise, or `nil`.
    public var noise: ClosedRange<Float>?
    /// Probability and sigma range of a Gaussian blur.
    public var gaussianBlur: (probability: Float, sigma: ClosedRange<Float>) = (0, 0.5...1.5)
    /// Probability and length range (pixels) of a motion blur at a random angle.
    public var motionBlur: (probability: Float, length: ClosedRange<Float>) = (0, 3...9)
    /// Probability of erasing a random rectangle (up to a quarter of each side) to a random gray.
    public var erasingProbability: Float = 0

    /// Only crops (when `cropSize` is set) and horizontal flips by default.
    public init(cropSize: Int? = nil) { self.cropSize = cropSize }

    /// The augmented input and targets.
    /// - Parameters:
    ///   - input: `[1, C, H, W]` in `[0, 1]`.
    ///   - targets: tensors `[1, C', H, W]` of the input's height and width.
    public func applied(to input: Tensor, targets: [Tensor],
                        using generator: inout some RandomNumberGenerator) -> (input: Tensor, targets: [Tensor]) {
        let (height, width) = (input.shape[2], input.shape[3])
        for target in targets {
            precondition(target.shape.rank == 4 && target.shape[2] == height && target.shape[3] == width,
                         "target \(target.shape) not aligned with input \(input.shape)")
        }
        let spatial = drawSpatial(height: height, width: width, using: &generator)
        let photometric = drawPhotometric(using: &generator)
        return withoutGradients {
            (photometric(spatial(input)), targets.map(spatial))
        }
    }

    /// One draw of the spatial transforms, as a function applied to every tensor.
    private func drawSpatial(height: Int, width: Int,
                             using generator: inout some RandomNumberGenerator) -> (Tensor) -> Tensor {
        var crop: (top: Int, left: Int, side: Int)?
        if let cropSize {
            let shorter = min(height, width)
            let side = resizedCropScale.map { scale in
                max(1, min(shorter, Int((Float.random(in: scale, using: &generator) * Float(shorter)).rounded())))
            } ?? min(cropSize, shorter)
            crop = (Int.random(in: 0...(height - side), using: &generator), Int.random(in: 0...(width - side), using: &generator), side)
        }
        let flipsHorizontally = Float.random(in: 0..<1, using: &generator) < horizontalFlipProbability
        let flipsVertically = Float.random(in: 0..<1, using: &generator) < verticalFlipProbability
        let quarterTurns = rotates90 ? Int.random(in: 0..<4, using: &generator) : 0
        let (cropSize, resized) = (cropSize, resizedCropScale != nil)
        return { tensor in
            var result = tensor
            if let crop, let cropSize {
                result = result.sliced(axis: 2, range: crop.top ..< crop.top + crop.side)
                    .sliced(axis: 3, range: crop.left ..< crop.left + crop.side)
                if resized && crop.side != cropSize {
                    result = result.resizedBilinear(height: cropSize, width: cropSize, alignCorners: false)
                }
            }
            if flipsHorizontally { result = result.flipped(axis: 3) }
            if flipsVertically { result = result.flipped(axis: 2) }
            for _ in 0..<quarterTurns { result = result.permuted([0, 1, 3, 2]).flipped(axis: 3) }
            return result
        }
    }

    /// One draw of the photometric transforms, as a function applied to the input.
    private func drawPhotometric(using generator: inout some RandomNumberGenerator) -> (Tensor) -> Tensor {
        func factor(_ amplitude: Float) -> Float {
            amplitude > 0 ? Float.random(in: (1 - amplitude)...(1 + amplitude), using: &generator) : 1
        }
        let (brightnessFactor, contrastFactor, saturationFactor) = (factor(brightness), factor(contrast), factor(saturation))
        let exponent = gamma.map { Float.random(in: $0, using: &generator) }
        let noiseDeviation = noise.map { Float.random(in: $0, using: &generator) }
        let noiseSeed = UInt64.random(in: 0...UInt64.max, using: &generator)
        let blurSigma = Float.random(in: 0..<1, using: &generator) < gaussianBlur.probability
            ? Float.random(in: gaussianBlur.sigma, using: &generator) : nil
        let motion = Float.random(in: 0..<1, using: &generator) < motionBlur.probability
            ? MotionBlur(length: Float.random(in: motionBlur.length, using: &generator),
                         angle: Float.random(in: 0..<180, using: &generator)) : nil
        let erasing = Float.random(in: 0..<1, using: &generator) < erasingProbability
            ? (top: Float.random(in: 0..<1, using: &generator), left: Float.random(in: 0..<1, using: &generator),
               height: Float.random(in: 0.05...0.25, using: &generator), width: Float.random(in: 0.05...0.25, using: &generator),
               value: Float.random(in: 0...1, using: &generator)) : nil
        return { input in
            var x = input * brightnessFactor
            if contrastFactor != 1 {
                let mean = x.mean()
                x = (x - mean) * contrastFactor + mean
            }
            if saturationFactor != 1 && x.shape[1] == 3 {
                let gray = Gray.fromRGB(x)
                x = (x - gray) * saturationFactor + gray
            }
            x = x.clamped(min: 0, max: 1)
            if let exponent { x = x.pow(exponent) }
            if let blurSigma { x = mappingImages(x) { planes in planes.map { GaussianBlur(sigma: blurSigma)($0) } } }
            if let motion { x = motion.applied(to: x) }
            if let noiseDeviation {
                var noiseGenerator = SplitMix64(seed: noiseSeed)
                x = (x + Tensor.normal(shape: x.shape, standardDeviation: noiseDeviation, using: &noiseGenerator))
                    .clamped(min: 0, max: 1)
            }
            if let erasing { x = Self.erased(x, erasing) }
            return x
        }
    }

    /// `image` with a rectangle (fractions of the size) set to `value`.
    private static func erased(_ image: Tensor, _ box: (top: Float, left: Float, height: Float, width: Float, value: Float)) -> Tensor {
        let (channels, height, width) = (image.shape[1], image.shape[2], image.shape[3])
        let rows = max(1, Int(box.height * Float(height))), columns = max(1, Int(box.width * Float(width)))
        let top = min(height - rows, Int(box.top * Float(height))), left = min(width - columns, Int(box.left * Float(width)))
        var values = image.scalars
        for channel in 0..<channels {
            for y in top ..< top + rows {
                for x in left ..< left + columns { values[(channel * height + y) * width + x] = box.value }
            }
        }
        return Tensor(shape: image.shape, scalars: values)
    }
}
