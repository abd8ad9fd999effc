/// Reductions over axes. Sums accumulate in Double, in a fixed order, so losses
/// are reproducible and do not depend on the thread count.
extension Tensor {
    /// Sum over `axes` (all axes when `nil`).
    /// - Parameter keepDimensions: keep reduced axes with size 1.
    public func sum(axes: [Int]? = nil, keepDimensions: Bool = false) -> Tensor {
        let axes = Set((axes ?? Array(0..<shape.rank)).map(shape.normalizedAxis))
        let kept = Shape(shape.dimensions.enumerated().map { axes.contains($0.offset) ? 1 : $0.element })
        let input = self
        let result = Reduction.sum(input, to: kept)
        let output = keepDimensions ? result : result.reshapedWithoutGradient(
            Shape(shape.dimensions.enumerated().filter { !axes.contains($0.offset) }.map(\.element)))
        return output.recorded(.sum, inputs: [input]) { g in
            [g.reshaped(kept).expanded(to: input.shape)]
        }
    }

    /// Mean over `axes` (all axes when `nil`).
    public func mean(axes: [Int]? = nil, keepDimensions: Bool = false) -> Tensor {
        let axes = axes ?? Array(0..<shape.rank)
        let count = axes.reduce(1) { $0 * shape[$1] }
        return sum(axes: axes, keepDimensions: keepDimensions) / Float(count)
    }

    /// Variance over `axes`; biased (divides by n) unless `unbiased`.
    public func variance(axes: [Int]? = nil, keepDimensions: Bool = false, unbiased: Bool = false) -> Tensor {
        let axes = axes ?? Array(0..<shape.rank)
        let count = axes.reduce(1) { $0 * shape[$1] }
        let centered = self - mean(axes: axes, keepDimensions: true)
        let sumOfSquares = (centered * centered).sum(axes: axes, keepDimensions: keepDimensions)
        return sumOfSquares / Float(unbiased ? count - 1 : count)
    }

    /// Sums a broadcast gradient back to `target`, the shape of the operand that
    /// was broadcast (NumPy rules).
    public func summed(toShape target: Shape) -> Tensor {
        if shape == target { return self }
        let offset = shape.rank - target.rank
        precondition(offset >= 0, "cannot sum \(shape) to \(target)")
        let axes = (0..<shape.rank).filter { axis in
            axis < offset || (target.dimensions[axis - offset] == 1 && shape.dimensions[axis] != 1)
        }
        return sum(axes: axes, keepDimensions: true).reshaped(target)
    }
}

/// The reduction kernel.
enum Reduction {
    /// Sums `input` into `kept`, a shape equal to the input's with some axes set to 1.
    static func sum(_ input: Tensor, to kept: Shape) -> Tensor {
        let layout = BroadcastLayout(output: input.shape, a: input.shape, b: kept)
        var accumulator = [Double](repeating: 0, count: kept.elementCount)
        let inner = layout.sizes.last ?? 1
        let innerOut = layout.stridesB.last ?? 0
        let rows = input.shape.elementCount / max(inner, 1)
        let source = input.storage.pointer
        accumulator.withUnsafeMutableBufferPointer { out in
            for row in 0..<rows {
                let (offsetIn, offsetOut) = layout.offsets(ofRow: row)
                let values = source + offsetIn
                if innerOut == 0 {
                    out[offsetOut] += contiguousSum(values, count: inner)
                } else {
                    for i in 0..<inner { out[offsetOut + i * innerOut] += Double(values[i]) }
                }
            }
        }
        return Tensor(shape: kept) { buffer in
            for i in buffer.indices { buffer[i] = Float(accumulator[i]) }
        }
    }

    /// The sum of `count` contiguous values in Double, over four interleaved
    /// partial sums (a fixed order, so reproducible) to break the dependency chain
    /// of one accumulator.
    static func contiguousSum(_ values: UnsafePointer<Float>, count: Int) -> Double {
        var partial = SIMD4<Double>.zero
        var index = 0
        while index + 4 <= count {
            partial += SIMD4<Double>(SIMD4<Float>(values[index], values[index + 1], values[index + 2], values[index + 3]))
            index += 4
        }
        var total = (partial[0] + partial[1]) + (partial[2] + partial[3])
        while index < count {
            total += Double(values[index])
            index += 1
        }
        return total
    }
}
