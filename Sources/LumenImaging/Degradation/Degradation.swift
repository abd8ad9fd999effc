import Foundation
import LumenTensor

/// A random low-light degradation of normally exposed photos, for synthetic
/// training pairs: the ranges and probabilities that ``sample(using:)`` draws one
/// sample's ``DegradationParameters`` from.
///
/// ``applied(to:parameters:)`` follows a camera's order: the gamma darkening acts on
/// the sRGB values; then, in linear light, the shadows, the exposure change and the
/// colour cast multiply the light, the blurs spread it, the sensor adds its noise and
/// clips to `[0, 1]`; the result is encoded back to sRGB and optionally re-compressed
/// as JPEG.
///
/// ```swift
/// var generator = SplitMix64(seed: 7)
/// let degradation = Degradation()
/// let parameters = degradation.sample(using: &generator)
/// let low = degradation.applied(to: try Image(contentsOf: url).rgb().tensor(), parameters: parameters)
/// ```
///
/// Every draw, the noise included, comes from the generator, so a seed reproduces
/// the output bit for bit, with any number of threads.
public struct Degradation: Codable, Sendable, Equatable {
    /// Exponent of the gamma darkening `x^γ` on sRGB values.
    public var gamma: ClosedRange<Float> = 1...1.5
    /// Exposure change in stops (−1 halves the linear light).
    public var ev: ClosedRange<Float> = -3 ... -1

    /// Chance that a sample has shadows.
    public var shadowProbability = 0.5
    /// How many shadows, when it has some.
    public var shadowCount: ClosedRange<Int> = 1...3
    /// Shadow radius as a fraction of the image's shorter side (see ``ShadowBlob``).
    public var shadowRadius: ClosedRange<Float> = 0.15...0.5
    /// Fraction of the light a shadow removes at its centre.
    public var shadowDepth: ClosedRange<Float> = 0.3...0.8

    /// Chance of a colour cast.
    public var colorCastProbability = 0.5
    /// Range of each channel's gain, drawn independently, then divided by their mean so
    /// that the cast changes the hue rather than the exposure.
    public var colorGain: ClosedRange<Float> = 0.8...1.2

    /// Chance of a Gaussian blur.
    public var gaussianBlurProbability = 0.2
    /// Its standard deviation in pixels.
    public var gaussianBlurSigma: ClosedRange<Float> = 0.5...1.5
    /// Chance of a motion blur (any direction).
    public var motionBlurProbability = 0.1
    /// Its length in pixels.
    public var motionBlurLength: ClosedRange<Float> = 3...11

    /// Chance of sensor noise.
    public var noiseProbability = 1.0
    /// Shot-noise gain `a` of ``SensorNoise``, drawn log-uniformly.
    public var shotGain: ClosedRange<Float> = 1e-4...1e-2
    /// Read-noise variance `b` of ``SensorNoise``, drawn log-uniformly.
    public var readVariance: ClosedRange<Float> = 1e-6...1e-4

    /// Chance of a JPEG re-compression.
    public var jpegProbability = 0.5
    /// Its quality.
    public var jpegQuality: ClosedRange<Int> = 60...95

    /// The default recipe: −3 to −1 EV, mild gamma, noise always, the other steps sometimes.
    public init() {}

    /// Draws one sample's parameters; the draws happen in a fixed order, so a
    /// generator in the same state gives the same parameters.
    public func sample(using generator: inout some RandomNumberGenerator) -> DegradationParameters {
        var parameters = DegradationParameters(gamma: .random(in: gamma, using: &generator),
                                               ev: .random(in: ev, using: &generator))
        if Self.happens(shadowProbability, using: &generator) {
            parameters.shadows = (0..<Int.random(in: shadowCount, using: &generator)).map { _ in
                ShadowBlob(centerX: .random(in: 0...1, using: &generator), centerY: .random(in: 0...1, using: &generator),
                           radius: .random(in: shadowRadius, using: &generator), depth: .random(in: shadowDepth, using: &generator))
            }
        }
        if Self.happens(colorCastProbability, using: &generator) {
            let gains = (0..<3).map { _ in Float.random(in: colorGain, using: &generator) }
            let mean = gains.reduce(0, +) / 3
            parameters.colorCast = ColorCast(red: gains[0] / mean, green: gains[1] / mean, blue: gains[2] / mean)
        }
        if Self.happens(gaussianBlurProbability, using: &generator) {
            parameters.gaussianBlurSigma = .random(in: gaussianBlurSigma, using: &generator)
        }
        if Self.happens(motionBlurProbability, using: &generator) {
            parameters.motionBlur = MotionBlur(length: .random(in: motionBlurLength, using: &generator),
                                               angle: .random(in: 0..<180, using: &generator))
        }
        if Self.happens(noiseProbability, using: &generator) {
            parameters.noise = SensorNoise(shotGain: Self.logUniform(in: shotGain, using: &generator),
                                           readVariance: Self.logUniform(in: readVariance, using: &generator),
                                           seed: generator.next())
        }
        if Self.happens(jpegProbability, using: &generator) {
            parameters.jpegQuality = .random(in: jpegQuality, using: &generator)
        }
        return parameters
    }

    /// The low-light version of `image` for one sample's parameters.
    /// - Parameters:
    ///   - image: sRGB image `[1, 3, H, W]` in `[0, 1]`.
    ///   - parameters: Usually from ``sample(using:)``; they alone decide the result.
    /// - Returns: sRGB image `[1, 3, H, W]` in `[0, 1]`.
    public func applied(to image: Tensor, parameters: DegradationParameters) -> Tensor {
        let dimensions = image.shape.dimensions
        precondition(dimensions.count == 4 && dimensions[0] == 1 && dimensions[1] == 3 && dimensions[2] > 0 && dimensions[3] > 0,
                     "degradation of shape \(image.shape); expected one RGB image [1, 3, H, W]")
        return withoutGradients {
            var linear = Self.linearLight(image, parameters: parameters)
            if let sigma = parameters.gaussianBlurSigma {
                linear = mappingImages(linear) { planes in planes.map { GaussianBlur(sigma: sigma)($0) } }
            }
            if let motionBlur = parameters.motionBlur { linear = motionBlur.applied(to: linear) }
            if let noise = parameters.noise { linear = noise.applied(toLinear: linear) }
            let encoded = SRGB.fromLinear(linear.clamped(min: 0, max: 1))
            return parameters.jpegQuality.map { jpegRecompressed(encoded, quality: $0) } ?? encoded
        }
    }

    /// Gamma darkening, then linear light times the shadow mask, `2^ev` and the cast's gains.
    private static func linearLight(_ image: Tensor, parameters: DegradationParameters) -> Tensor {
        let (height, width) = (image.shape[2], image.shape[3])
        let gamma = parameters.gamma
        let darkened = gamma == 1 ? image : Tensor(shape: image.shape, scalars: image.scalars.map { pow(max($0, 0), gamma) })
        let linear = SRGB.toLinear(darkened)
        let mask = parameters.shadows.mask(height: height, width: width)
        let gains = parameters.colorCast.gains.map { $0 * exposureGain(ev: parameters.ev) }
        return Tensor(shape: image.shape) { output in
            linear.withUnsafeBufferPointer { input in
                mask.withUnsafeBufferPointer { mask in
                    let (input, output, mask) = (input.baseAddress!, output.baseAddress!, mask.baseAddress!)
                    parallelFor(3 * height, grain: 16) { rows in
                        for row in rows {
                            let (gain, start) = (gains[row / height], row * width)
                            let maskRow = mask + (row % height) * width
                            for x in 0..<width { output[start + x] = input[start + x] * gain * maskRow[x] }
                        }
                    }
                }
            }
        }
    }

    private static func happens(_ probability: Double, using generator: inout some RandomNumberGenerator) -> Bool {
        Double.random(in: 0..<1, using: &generator) < probability
    }

    /// A value whose logarithm is uniform over the range's: equal chances per decade.
    private static func logUniform(in range: ClosedRange<Float>, using generator: inout some RandomNumberGenerator) -> Float {
        precondition(range.lowerBound > 0, "log-uniform range \(range); expected positive bounds")
        return exp(Float.random(in: log(range.lowerBound)...log(range.upperBound), using: &generator))
    }
}
