import Foundation

extension Plane where Scalar == Double {
    /// Resized to `height` x `width` as MATLAB's `imresize(plane, [height width])`
    /// with its defaults: the bicubic kernel with `a = −0.5`, widened by `1 / scale`
    /// when shrinking (antialiasing), output samples centred at
    /// `(i − 0.5) / scale + 0.5` in input coordinates, and borders mirrored with the
    /// edge repeated (`'symmetric'`). NIQE's second scale and LOE's grid rely on
    /// these exact weights (BasicSR's `imresize` reproduces them in Python).
    func resizedLikeMATLAB(height outHeight: Int, width outWidth: Int) -> Plane<Double> {
        precondition(outHeight >= 1 && outWidth >= 1, "resize to \(outWidth)x\(outHeight)")
        let rows = MATLABResizeWeights(inputLength: height, outputLength: outHeight)
        let columns = MATLABResizeWeights(inputLength: width, outputLength: outWidth)
        let vertical = Plane.byRows(width: width, height: outHeight) { y, output in
            values.withUnsafeBufferPointer { input in
                let taps = (y * rows.taps)..<((y + 1) * rows.taps)
                Self.weightedSum(input.baseAddress!, offsets: taps.map { rows.indices[$0] * width },
                                 weights: Array(rows.weights[taps]), into: output)
            }
        }
        return Plane.byRows(width: outWidth, height: outHeight) { y, output in
            vertical.values.withUnsafeBufferPointer { input in
                let row = y * width
                for x in 0..<outWidth {
                    var sum = 0.0
                    for tap in 0..<columns.taps {
                        sum += columns.weights[x * columns.taps + tap] * input[row + columns.indices[x * columns.taps + tap]]
                    }
                    output[x] = sum
                }
            }
        }
    }
}

/// The input samples and weights behind each output sample of a MATLAB-style
/// bicubic resize along one dimension, `taps` per output, row-major.
struct MATLABResizeWeights {
    let taps: Int
    let indices: [Int]
    let weights: [Double]

    init(inputLength: Int, outputLength: Int) {
        let scale = Double(outputLength) / Double(inputLength)
        let shrinking = scale < 1
        let kernelWidth = shrinking ? 4 / scale : 4
        taps = Int(kernelWidth.rounded(.up)) + 2
        var indices = [Int](), weights = [Double]()
        indices.reserveCapacity(outputLength * taps)
        weights.reserveCapacity(outputLength * taps)
        for output in 1...outputLength {
            // 1-based coordinates, as in MATLAB's contributions().
            let center = Double(output) / scale + 0.5 * (1 - 1 / scale)
            let left = (center - kernelWidth / 2).rounded(.down)
            let row = (0..<taps).map { tap -> Double in
                let distance = center - (left + Double(tap))
                return shrinking ? scale * Self.cubic(scale * distance) : Self.cubic(distance)
            }
            let total = row.reduce(0, +)
            weights += row.map { $0 / total }
            indices += (0..<taps).map { Self.mirrored(Int(left) + $0 - 1, length: inputLength) }
        }
        (self.indices, self.weights) = (indices, weights)
    }

    /// Keys' cubic convolution kernel with `a = −0.5`.
    static func cubic(_ x: Double) -> Double {
        let t = abs(x)
        if t <= 1 { return (1.5 * t - 2.5) * t * t + 1 }
        if t <= 2 { return ((-0.5 * t + 2.5) * t - 4) * t + 2 }
        return 0
    }

    /// A 0-based index folded into `0 ..< length` by mirroring with the edge repeated.
    static func mirrored(_ index: Int, length: Int) -> Int {
        let period = 2 * length
        let folded = ((index % period) + period) % period
        return folded < length ? folded : period - 1 - folded
    }
}
