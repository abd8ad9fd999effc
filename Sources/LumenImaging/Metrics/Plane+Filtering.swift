extension Plane where Scalar == Double {
    /// Correlation with the separable window `taps ⊗ taps` over the valid region
    /// only (no padding): `(H − k + 1) x (W − k + 1)` for `k` taps.
    func filteredValid(separable taps: [Double]) -> Plane<Double> {
        let k = taps.count
        precondition(width >= k && height >= k, "\(k)-tap filter of a \(width)x\(height) plane")
        let (outWidth, outHeight) = (width - k + 1, height - k + 1)
        let horizontal = Plane.byRows(width: outWidth, height: height) { y, output in
            values.withUnsafeBufferPointer { input in
                Self.weightedSum(input.baseAddress!, offsets: (0..<k).map { y * width + $0 }, weights: taps, into: output)
            }
        }
        return Plane.byRows(width: outWidth, height: outHeight) { y, output in
            horizontal.values.withUnsafeBufferPointer { input in
                Self.weightedSum(input.baseAddress!, offsets: (0..<k).map { (y + $0) * outWidth }, weights: taps, into: output)
            }
        }
    }

    /// Correlation with a square `size` x `size` window (row-major) over the valid
    /// region: `(H − size + 1) x (W − size + 1)`.
    func filteredValid(window: [Double], size: Int) -> Plane<Double> {
        precondition(window.count == size * size && width >= size && height >= size,
                     "\(size)x\(size) window of a \(width)x\(height) plane")
        let (outWidth, outHeight) = (width - size + 1, height - size + 1)
        let taps = window.indices.filter { window[$0] != 0 }
        return Plane.byRows(width: outWidth, height: outHeight) { y, output in
            values.withUnsafeBufferPointer { input in
                Self.weightedSum(input.baseAddress!, offsets: taps.map { (y + $0 / size) * width + $0 % size },
                                 weights: taps.map { window[$0] }, into: output)
            }
        }
    }

    /// `output[x] = Σ_t weights[t] · input[offsets[t] + x]`, summed in the order of
    /// the taps; four outputs at a time, since the compiler cannot prove that
    /// `output` and `input` do not overlap and will not vectorise the plain loop.
    static func weightedSum(_ input: UnsafePointer<Double>, offsets: [Int], weights: [Double],
                            into output: UnsafeMutableBufferPointer<Double>) {
        offsets.withUnsafeBufferPointer { offsets in
            weights.withUnsafeBufferPointer { weights in
                let (count, target) = (output.count, output.baseAddress!)
                var x = 0
                while x + 4 <= count {
                    var sum = SIMD4<Double>()
                    for tap in offsets.indices {
                        sum += weights[tap] * UnsafeRawPointer(input + offsets[tap] + x).loadUnaligned(as: SIMD4<Double>.self)
                    }
                    UnsafeMutableRawPointer(target + x).storeBytes(of: sum, as: SIMD4<Double>.self)
                    x += 4
                }
                while x < count {
                    var sum = 0.0
                    for tap in offsets.indices { sum += weights[tap] * input[offsets[tap] + x] }
                    target[x] = sum
                    x += 1
                }
            }
        }
    }

    /// The plane grown by `border` pixels of zeros on every side (SciPy's
    /// `convolve2d(mode='same')`).
    func zeroPadded(_ border: Int) -> Plane<Double> {
        let (outWidth, outHeight) = (width + 2 * border, height + 2 * border)
        return Plane.byRows(width: outWidth, height: outHeight) { y, output in
            for x in 0..<outWidth { output[x] = 0 }
            guard y >= border && y < height + border else { return }
            for x in 0..<width { output[border + x] = values[(y - border) * width + x] }
        }
    }

    /// The plane grown by `border` pixels on every side, repeating the edge values
    /// (MATLAB's `'replicate'`, SciPy's `mode='nearest'`).
    func replicatePadded(_ border: Int) -> Plane<Double> {
        let (outWidth, outHeight) = (width + 2 * border, height + 2 * border)
        return Plane.byRows(width: outWidth, height: outHeight) { y, output in
            let row = min(max(y - border, 0), height - 1) * width
            for x in 0..<outWidth { output[x] = values[row + min(max(x - border, 0), width - 1)] }
        }
    }

    /// Averages of 2x2 blocks, `ceil(H / 2) x ceil(W / 2)`; an odd last row or column
    /// is averaged with a copy of itself. This is the low-pass and subsampling of
    /// Wang's reference `msssim.m` (`imfilter(ones(2) / 4, 'symmetric')`, then every
    /// second pixel).
    func halved() -> Plane<Double> {
        let (outWidth, outHeight) = ((width + 1) / 2, (height + 1) / 2)
        return Plane.byRows(width: outWidth, height: outHeight) { y, output in
            let (top, bottom) = (2 * y * width, min(2 * y + 1, height - 1) * width)
            for x in 0..<outWidth {
                let (left, right) = (2 * x, min(2 * x + 1, width - 1))
                output[x] = 0.25 * (values[top + left] + values[top + right] + values[bottom + left] + values[bottom + right])
            }
        }
    }
}
