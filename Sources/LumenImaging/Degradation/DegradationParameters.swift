/// The concrete values of one synthetic low-light sample: what ``Degradation``'s
/// `sample(using:)` draws and `applied(to:parameters:)` replays.
///
/// `Codable`, so a dataset can record how each image was made and reproduce it bit
/// for bit (the sensor noise keeps its own seed). The defaults leave an image
/// unchanged; set only the steps you want:
///
/// ```swift
/// let darker = Degradation().applied(to: image, parameters: DegradationParameters(ev: -2))
/// ```
public struct DegradationParameters: Codable, Sendable, Equatable {
    /// Exponent of the gamma darkening `x^γ` of the sRGB values; 1 leaves them.
    public var gamma: Float
    /// Exposure change in stops, a factor `2^ev` in linear light.
    public var ev: Float
    /// Soft shadows multiplied into the linear light.
    public var shadows: [ShadowBlob]
    /// Per-channel gains in linear light.
    public var colorCast: ColorCast
    /// Standard deviation in pixels of a Gaussian (defocus) blur, if any.
    public var gaussianBlurSigma: Float?
    /// Camera-shake blur, if any.
    public var motionBlur: MotionBlur?
    /// Sensor noise, if any.
    public var noise: SensorNoise?
    /// JPEG quality of a final re-compression, if any.
    public var jpegQuality: Int?

    public init(gamma: Float = 1, ev: Float = 0, shadows: [ShadowBlob] = [], colorCast: ColorCast = .neutral,
                gaussianBlurSigma: Float? = nil, motionBlur: MotionBlur? = nil, noise: SensorNoise? = nil,
                jpegQuality: Int? = nil) {
        (self.gamma, self.ev, self.shadows, self.colorCast) = (gamma, ev, shadows, colorCast)
        (self.gaussianBlurSigma, self.motionBlur, self.noise, self.jpegQuality) = (gaussianBlurSigma, motionBlur, noise, jpegQuality)
    }
}
