import LumenTensor

/// Poisson–Gaussian sensor noise in linear light (Foi et al., "Practical
/// Poissonian-Gaussian noise modeling and fitting for single-image raw-data", 2008):
/// `y = a · Poisson(x / a) + N(0, b)`, so `E[y] = x` and `Var[y] = a · x + b`.
///
/// The shot term `a` is the signal a single photo-electron carries (a smaller `a` is
/// more light, less noise); `b` is the variance of the read noise. The draws come from
/// `seed`: every row of every channel gets its own ``SplitMix64`` seeded from
/// `(seed, row)`, so the noise does not depend on the number of threads.
public struct SensorNoise: Codable, Sendable, Equatable {
    /// `a`: the shot-noise variance per unit of linear intensity.
    public var shotGain: Float
    /// `b`: the variance of the signal-independent read noise.
    public var readVariance: Float
    /// Seed of the per-pixel draws.
    public var seed: UInt64

    public init(shotGain: Float, readVariance: Float, seed: UInt64) {
        precondition(shotGain > 0 && readVariance >= 0,
                     "sensor noise a = \(shotGain), b = \(readVariance); expected a > 0 and b >= 0")
        (self.shotGain, self.readVariance, self.seed) = (shotGain, readVariance, seed)
    }

    /// Adds the noise to a linear-light image `[N, C, H, W]` (values below 0 count as 0),
    /// without clamping the result.
    func applied(toLinear image: Tensor) -> Tensor {
        let width = image.shape.dimensions.last!
        let rows = image.scalarCount / width
        let (gain, readDeviation) = (Double(shotGain), Double(readVariance).squareRoot())
        return Tensor(shape: image.shape) { output in
            image.withUnsafeBufferPointer { input in
                let (input, output) = (input.baseAddress!, output.baseAddress!)
                parallelFor(rows, grain: 8) { range in
                    for row in range {
                        var rowSeed = SplitMix64(seed: seed &+ UInt64(row))
                        var generator = SplitMix64(seed: rowSeed.next())
                        for index in row * width ..< (row + 1) * width {
                            let electrons = generator.nextPoisson(lambda: Double(max(input[index], 0)) / gain)
                            output[index] = Float(gain * electrons + readDeviation * generator.nextGaussian())
                        }
                    }
                }
            }
        }
    }
}
