import Foundation

/// NumPy's legacy `RandomState` (`np.random.seed`, `np.random.normal`), draw for
/// draw: the Mersenne Twister MT19937 seeded with `init_genrand`, 53-bit doubles from
/// two 32-bit outputs, and Gaussians by the Marsaglia polar method, which caches the
/// second value of each pair.
///
/// The denoising protocol draws its noise this way (`np.random.seed(0)` per image),
/// so reproducing published PSNRs to the fourth decimal needs the same draws.
///
/// ```swift
/// var random = NumPyRandomState(seed: 0)
/// random.normal(mean: 0, standardDeviation: 1)   // 1.764052345967664, as NumPy
/// ```
public struct NumPyRandomState: Sendable {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624
    private var cachedGaussian: Double?

    /// `np.random.seed(seed)` for a seed in `0 ..< 2^32`.
    public init(seed: UInt32) {
        state[0] = seed
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
    }

    /// The next 32-bit output (`genrand_int32`).
    public mutating func nextUInt32() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        return y ^ (y >> 18)
    }

    /// A double in `[0, 1)` with 53 random bits (`random_sample`).
    public mutating func nextDouble() -> Double {
        let high = Double(nextUInt32() >> 5), low = Double(nextUInt32() >> 6)
        return (high * 67_108_864 + low) / 9_007_199_254_740_992
    }

    /// A standard normal value (`legacy_gauss`).
    public mutating func nextGaussian() -> Double {
        if let cached = cachedGaussian {
            cachedGaussian = nil
            return cached
        }
        var x1 = 0.0, x2 = 0.0, radius = 0.0
        repeat {
            x1 = 2 * nextDouble() - 1
            x2 = 2 * nextDouble() - 1
            radius = x1 * x1 + x2 * x2
        } while radius >= 1 || radius == 0
        let factor = (-2 * log(radius) / radius).squareRoot()
        cachedGaussian = factor * x1
        return factor * x2
    }

    /// `np.random.normal(mean, standardDeviation)`, one value.
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * nextGaussian()
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
            state[i] = state[(i + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_B0DF)
        }
        index = 0
    }
}
