import Foundation

/// A small, fast, seedable generator (SplitMix64, Steele et al. 2014).
///
/// Every random draw in Lumen takes a generator, so runs are reproducible for a seed.
public struct SplitMix64: RandomNumberGenerator, Sendable, Codable, Hashable {
    /// The internal state; saving and restoring it resumes the exact sequence.
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Tensor {
    /// Values drawn uniformly from `range`.
    public static func uniform(shape: Shape, in range: ClosedRange<Float> = 0...1,
                               using generator: inout some RandomNumberGenerator) -> Tensor {
        Tensor(shape: shape) { buffer in
            for i in buffer.indices { buffer[i] = Float.random(in: range, using: &generator) }
        }
    }

    /// Values drawn from a normal distribution (Box-Muller in Double).
    public static func normal(shape: Shape, mean: Float = 0, standardDeviation: Float = 1,
                              using generator: inout some RandomNumberGenerator) -> Tensor {
        Tensor(shape: shape) { buffer in
            var i = 0
            while i < buffer.count {
                let u1 = Double.random(in: Double.leastNormalMagnitude..<1, using: &generator)
                let u2 = Double.random(in: 0..<1, using: &generator)
                let radius = (-2 * Foundation.log(u1)).squareRoot()
                buffer[i] = mean + standardDeviation * Float(radius * Foundation.cos(2 * .pi * u2))
                if i + 1 < buffer.count { buffer[i + 1] = mean + standardDeviation * Float(radius * Foundation.sin(2 * .pi * u2)) }
                i += 2
            }
        }
    }

    /// Kaiming (He) uniform initialisation for a weight whose fan-in is
    /// `shape[1] * receptive field`, matching PyTorch's default for `Conv2d` and
    /// `Linear` (`a = sqrt(5)`, so the bound is `1 / sqrt(fanIn)`) unless `gain` is given.
    public static func kaimingUniform(shape: Shape, gain: Float? = nil,
                                      using generator: inout some RandomNumberGenerator) -> Tensor {
        let fanIn = Float(fan(shape).in)
        let bound = (gain ?? (1 / 3).squareRoot()) * (3 / fanIn).squareRoot()
        return uniform(shape: shape, in: -bound...bound, using: &generator)
    }

    /// Kaiming normal initialisation, `std = gain / sqrt(fanIn)`, gain √2 for ReLU.
    public static func kaimingNormal(shape: Shape, gain: Float = Float(2).squareRoot(),
                                     using generator: inout some RandomNumberGenerator) -> Tensor {
        normal(shape: shape, standardDeviation: gain / Float(fan(shape).in).squareRoot(), using: &generator)
    }

    /// Xavier (Glorot) uniform initialisation, bound `gain * sqrt(6 / (fanIn + fanOut))`.
    public static func xavierUniform(shape: Shape, gain: Float = 1,
                                     using generator: inout some RandomNumberGenerator) -> Tensor {
        let (fanIn, fanOut) = fan(shape)
        let bound = gain * (6 / Float(fanIn + fanOut)).squareRoot()
        return uniform(shape: shape, in: -bound...bound, using: &generator)
    }

    /// Xavier normal initialisation, `std = gain * sqrt(2 / (fanIn + fanOut))`.
    public static func xavierNormal(shape: Shape, gain: Float = 1,
                                    using generator: inout some RandomNumberGenerator) -> Tensor {
        let (fanIn, fanOut) = fan(shape)
        return normal(shape: shape, standardDeviation: gain * (2 / Float(fanIn + fanOut)).squareRoot(), using: &generator)
    }

    /// PyTorch's fan computation: `[out, in, k...]` weights.
    private static func fan(_ shape: Shape) -> (in: Int, out: Int) {
        precondition(shape.rank >= 2, "fan of a weight needs rank >= 2, got \(shape)")
        let receptive = shape.dimensions.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }
}
