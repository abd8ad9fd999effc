import Foundation
@testable import LumenImaging
import LumenTensor
import Testing

@Suite struct SensorNoiseTests {
    /// Constant linear levels covering both Poisson samplers (λ = x / a below and above 10).
    @Test(arguments: [0.05, 0.2, 0.6] as [Float])
    func varianceFollowsThePoissonGaussianModel(level: Float) {
        let noise = SensorNoise(shotGain: 0.01, readVariance: 1e-4, seed: 11)
        let image = SRGB.fromLinear(Tensor(repeating: level, shape: [1, 3, 128, 128]))
        let noisy = SRGB.toLinear(Degradation().applied(to: image, parameters: DegradationParameters(noise: noise)))
        let expectedVariance = Double(noise.shotGain * level + noise.readVariance)
        let count = Double(noisy.scalarCount)
        // The mean is within 4 standard errors; the sample variance of n values has a
        // relative standard error of about sqrt(2 / n) = 0.6 %.
        #expect(abs(mean(noisy) - Double(level)) < 4 * (expectedVariance / count).squareRoot())
        #expect(abs(variance(noisy) / expectedVariance - 1) < 0.04, "variance \(variance(noisy)), model \(expectedVariance)")
    }

    @Test(arguments: [0.5, 3, 9.5, 15, 400, 100_000] as [Double])
    func poissonDrawsHaveTheRightMeanAndVariance(lambda: Double) {
        var generator = SplitMix64(seed: UInt64(lambda * 10))
        let count = 200_000
        let draws = (0..<count).map { _ in generator.nextPoisson(lambda: lambda) }
        let average = draws.reduce(0, +) / Double(count)
        let spread = draws.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(count - 1)
        #expect(draws.allSatisfy { $0 >= 0 && $0 == $0.rounded() })
        #expect(abs(average - lambda) < 4 * (lambda / Double(count)).squareRoot())
        #expect(abs(spread / lambda - 1) < 0.03, "variance \(spread)")
    }

    @Test func gaussianDrawsAreStandardNormal() {
        var generator = SplitMix64(seed: 2)
        let draws = (0..<200_000).map { _ in generator.nextGaussian() }
        let average = draws.reduce(0, +) / Double(draws.count)
        let spread = draws.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(draws.count)
        #expect(abs(average) < 0.01 && abs(spread - 1) < 0.02)
    }

    @Test func theSeedDecidesTheNoise() {
        let image = Tensor(repeating: 0.1, shape: [1, 3, 16, 16])
        let first = SensorNoise(shotGain: 1e-3, readVariance: 1e-5, seed: 1)
        var second = first
        #expect(first.applied(toLinear: image).scalars == second.applied(toLinear: image).scalars)
        second.seed = 2
        #expect(first.applied(toLinear: image).scalars != second.applied(toLinear: image).scalars)
    }
}
