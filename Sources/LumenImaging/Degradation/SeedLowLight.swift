import Foundation
import LumenIO

/// Seed 001's `simulate_low_light`, exactly: `d = (x/255)^(1/gamma) · scale` in
/// float32, `noise = poisson(255·d)/255` from NumPy's legacy generator, and
/// `uint8(clip(d + 0.05·noise, 0, 1) · 255)` by truncation.
///
/// Kept as the option `lumen synth-matting --degradation seed` so that the seed's
/// experiment can be replayed. It is a poor low-light model, which is why it is not
/// the default: the "noise" is a brightening by about 5 % of the signal with a
/// standard deviation under half a level, so the dark image is almost noise-free.
/// ``Degradation`` is Lumen's camera-like pipeline.
///
/// The draws run in C order over the `H x W x 3` RGB samples, as the fixture
/// `gt05_merged_lowlight_g0.4_s0.3_seed0.png` was made (`np.random.seed(0)`).
///
/// ```swift
/// var random = NumPyRandomState(seed: 0)
/// let dark = SeedLowLight().applied(to: photo, random: &random)
/// ```
public struct SeedLowLight: Sendable, Equatable, Codable {
    /// The gamma whose inverse darkens: `x^(1/gamma)` (the seed uses 0.4).
    public var gamma: Float
    /// The factor applied after the power (the seed uses 0.3).
    public var scale: Float

    public init(gamma: Float = 0.4, scale: Float = 0.3) {
        precondition(gamma > 0 && scale >= 0, "simulate_low_light with gamma \(gamma) and scale \(scale)")
        (self.gamma, self.scale) = (gamma, scale)
    }

    /// The darkened 8-bit RGB image; `image` is reduced to 8-bit RGB first, as the
    /// seed reads it.
    public func applied(to image: Image, random: inout NumPyRandomState) -> Image {
        let rgb = image.rgb().converted(toBitDepth: 8)
        let exponent = Float(1 / Double(gamma))
        var samples = [UInt16](repeating: 0, count: rgb.samples.count)
        for (index, sample) in rgb.samples.enumerated() {
            let dark = powf(Float(sample) / 255, exponent) * scale
            let noise = Double(random.poisson(Double(dark * 255))) / 255
            let noisy = min(max(Double(dark) + noise * 0.05, 0), 1)
            samples[index] = UInt16(noisy * 255)
        }
        return Image(width: rgb.width, height: rgb.height, channels: 3, bitDepth: 8, samples: samples)
    }
}
