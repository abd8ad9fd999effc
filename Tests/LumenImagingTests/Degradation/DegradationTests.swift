import Foundation
@testable import LumenImaging
import LumenTensor
import Testing

@Suite struct DegradationTests {
    /// A photo-like test image: gradients plus fine texture, `[1, 3, 48, 64]`.
    static let photo: Tensor = {
        var generator = SplitMix64(seed: 1)
        let texture = Tensor.uniform(shape: [1, 3, 48, 64], in: 0...0.05, using: &generator).scalars
        return Tensor(shape: [1, 3, 48, 64], scalars: texture.enumerated().map { index, value in
            let (channel, y, x) = (index / (48 * 64), index / 64 % 48, index % 64)
            return 0.25 + 0.45 * Float(x + y) / 110 + value - 0.1 * Float(channel)
        })
    }()

    /// Every step switched on, so that reproducibility covers all of them.
    static let everything: Degradation = {
        var degradation = Degradation()
        degradation.shadowProbability = 1
        degradation.colorCastProbability = 1
        degradation.gaussianBlurProbability = 1
        degradation.motionBlurProbability = 1
        degradation.jpegProbability = 1
        return degradation
    }()

    static func degraded(seed: UInt64) -> (Tensor, DegradationParameters) {
        var generator = SplitMix64(seed: seed)
        let parameters = everything.sample(using: &generator)
        return (everything.applied(to: photo, parameters: parameters), parameters)
    }

    @Test func aSeedReproducesTheOutputBitForBit() {
        let (first, parameters) = Self.degraded(seed: 42)
        let (second, _) = Self.degraded(seed: 42)
        #expect(first.scalars == second.scalars)
        #expect(parameters.noise != nil && parameters.motionBlur != nil && parameters.jpegQuality != nil && !parameters.shadows.isEmpty)
        let (other, otherParameters) = Self.degraded(seed: 43)
        #expect(other.scalars != first.scalars)
        #expect(otherParameters != parameters)
    }

    @Test func theResultDoesNotDependOnTheThreadCount() {
        let threads = Runtime.threadCount
        defer { Runtime.threadCount = threads }
        Runtime.threadCount = 1
        let (single, _) = Self.degraded(seed: 5)
        Runtime.threadCount = 4
        let (several, _) = Self.degraded(seed: 5)
        #expect(single.scalars == several.scalars)
    }

    @Test func parametersRoundTripThroughJSONAndReplayExactly() throws {
        let (low, parameters) = Self.degraded(seed: 7)
        let json = try JSONEncoder().encode(parameters)
        let decoded = try JSONDecoder().decode(DegradationParameters.self, from: json)
        #expect(decoded == parameters)
        #expect(Self.everything.applied(to: Self.photo, parameters: decoded).scalars == low.scalars)
        let configuration = try JSONDecoder().decode(Degradation.self, from: JSONEncoder().encode(Self.everything))
        #expect(configuration == Self.everything)
    }

    @Test func noiseSeedsSurviveJSONExactly() throws {
        let noise = SensorNoise(shotGain: 1e-3, readVariance: 1e-5, seed: .max - 12_345)
        #expect(try JSONDecoder().decode(SensorNoise.self, from: JSONEncoder().encode(noise)) == noise)
    }

    @Test func theDefaultsStayInTheirRangesAndDarken() {
        var generator = SplitMix64(seed: 3)
        let degradation = Degradation()
        for _ in 0..<50 {
            let parameters = degradation.sample(using: &generator)
            #expect(degradation.ev.contains(parameters.ev) && degradation.gamma.contains(parameters.gamma))
            #expect(parameters.shadows.allSatisfy { degradation.shadowDepth.contains($0.depth) })
            let gains = parameters.colorCast.gains
            #expect(abs(gains.reduce(0, +) / 3 - 1) < 1e-5)
            let low = degradation.applied(to: Self.photo, parameters: parameters)
            #expect(low.scalars.allSatisfy { (0...1).contains($0) })
            #expect(mean(low) < mean(Self.photo))
        }
    }

    @Test func minusOneEVHalvesLinearIntensity() {
        let low = Degradation().applied(to: Self.photo, parameters: DegradationParameters(ev: -1))
        let ratios = zip(SRGB.toLinear(low).scalars, SRGB.toLinear(Self.photo).scalars).map { $0 / $1 }
        #expect(ratios.allSatisfy { abs($0 - 0.5) < 1e-4 })
    }

    @Test func colorCastMultipliesEachChannelInLinearLight() {
        let cast = ColorCast(red: 0.5, green: 1, blue: 1.5)
        let low = Degradation().applied(to: Self.photo, parameters: DegradationParameters(ev: -1, colorCast: cast))
        let (linearLow, linear) = (SRGB.toLinear(low).scalars, SRGB.toLinear(Self.photo).scalars)
        let plane = 48 * 64
        for (channel, gain) in cast.gains.enumerated() {
            let ratios = (channel * plane ..< (channel + 1) * plane).map { linearLow[$0] / linear[$0] }
            #expect(ratios.allSatisfy { abs($0 - gain / 2) < 1e-4 }, "channel \(channel)")
        }
    }

    @Test func gammaDarkensTheSRGBValues() {
        let low = Degradation().applied(to: Self.photo, parameters: DegradationParameters(gamma: 2))
        let expected = Self.photo.scalars.map { $0 * $0 }
        #expect(zip(low.scalars, expected).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func shadowsDarkenMostAtTheirCentre() {
        let blob = ShadowBlob(centerX: 0.25, centerY: 0.5, radius: 0.2, depth: 0.8)
        let mask = [blob].mask(height: 40, width: 80)
        #expect(abs(mask[20 * 80 + 20] - 0.2) < 0.01)
        #expect(mask[20 * 80 + 79] > 0.99)
        #expect(mask.allSatisfy { $0 > 0.2 - 0.01 && $0 <= 1 })
        let image = Tensor(repeating: 0.5, shape: [1, 3, 40, 80])
        let shaded = SRGB.toLinear(Degradation().applied(to: image, parameters: DegradationParameters(shadows: [blob])))
        #expect(abs(shaded.scalars[20 * 80 + 20] / SRGB.toLinear(image).scalars[0] - mask[20 * 80 + 20]) < 1e-4)
    }

    @Test func jpegChangesTheImageALittle() {
        let recompressed = Degradation().applied(to: Self.photo, parameters: DegradationParameters(jpegQuality: 75))
        let score = psnr(recompressed, Self.photo.clamped(min: 0, max: 1))
        #expect(score > 28 && score < 60, "PSNR \(score)")
        #expect(recompressed.scalars.allSatisfy { ($0 * 255).rounded() == $0 * 255 })
    }
}

/// The mean of a tensor's values, in Double.
func mean(_ tensor: Tensor) -> Double {
    tensor.scalars.reduce(0) { $0 + Double($1) } / Double(tensor.scalarCount)
}

/// The population variance of a tensor's values, in Double.
func variance(_ tensor: Tensor) -> Double {
    let average = mean(tensor)
    return tensor.scalars.reduce(0) { $0 + (Double($1) - average) * (Double($1) - average) } / Double(tensor.scalarCount)
}
