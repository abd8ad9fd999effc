/// Reshaping, permuting and broadcasting.
extension Tensor {
    /// The same values with a new shape of equal element count; shares storage.
    public func reshaped(_ newShape: Shape) -> Tensor {
        let input = self
        return reshapedWithoutGradient(newShape).recorded(.reshape, inputs: [input]) { g in
            [g.reshaped(input.shape)]
        }
    }

    func reshapedWithoutGradient(_ newShape: Shape) -> Tensor {
        precondition(newShape.elementCount == shape.elementCount, "cannot reshape \(shape) to \(newShape)")
        return Tensor(shape: newShape, storage: storage)
    }

    /// Reorders the axes: output axis `i` is input axis `order[i]`.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.sorted() == Array(0..<shape.rank), "permutation \(order) for shape \(shape)")
        let input = self
        var inverse = [Int](repeating: 0, count: order.count)
        for (i, axis) in order.enumerated() { inverse[axis] = i }
        return Permutation.apply(input, order).recorded(.permute, inputs: [input]) { g in [g.permuted(inverse)] }
    }

    /// Swaps the last two axes.
    public func transposed() -> Tensor {
        precondition(shape.rank >= 2, "transposed() needs rank >= 2, got \(shape)")
        var order = Array(0..<shape.rank)
        order.swapAt(shape.rank - 1, shape.rank - 2)
        return permuted(order)
    }

    /// Broadcasts to `target` (NumPy rules), materialising the copies.
    public func expanded(to target: Shape) -> Tensor {
        if shape == target { return self }
        precondition(Shape.broadcast(shape, target) == target, "cannot expand \(shape) to \(target)")
        let input = self
        return Elementwise.expand(input, to: target)
            .recorded(.expand, inputs: [input]) { g in [g.summed(toShape: input.shape)] }
    }
}

/// The permutation kernel: one pass over the output with incremental indices.
enum Permutation {
    static func apply(_ input: Tensor, _ order: [Int]) -> Tensor {
        let inShape = input.shape, inStrides = inShape.strides
        let outShape = Shape(order.map { inShape.dimensions[$0] })
        let sourceStrides = order.map { inStrides[$0] }
        let rank = outShape.rank
        return Tensor(shape: outShape) { output in
            guard rank > 0 else { output[0] = input.storage.pointer[0]; return }
            let inner = outShape.dimensions[rank - 1], innerStride = sourceStrides[rank - 1]
            let rows = outShape.elementCount / max(inner, 1)
            let source = input.storage.pointer, destination = output.baseAddress!
            parallelFor(rows, grain: max(1, Elementwise.parallelThreshold / max(inner, 1))) { range in
                for row in range {
                    var remainder = row, offset = 0
                    for axis in stride(from: rank - 2, through: 0, by: -1) {
                        offset += (remainder % outShape.dimensions[axis]) * sourceStrides[axis]
                        remainder /= outShape.dimensions[axis]
                    }
                    let out = destination + row * inner
                    for i in 0..<inner { out[i] = source[offset + i * innerStride] }
                }
            }
        }
    }
}

extension Tensor {
    /// Reverses the order of elements along `axis` (a mirror image for axis 3 of `[N, C, H, W]`).
    public func flipped(axis: Int) -> Tensor {
        let axis = shape.normalizedAxis(axis)
        let input = self
        return Flip.apply(input, axis: axis).recorded(.flip, inputs: [input]) { g in [g.flipped(axis: axis)] }
    }
}

/// The flip kernel: blocks of the inner extent copied in reversed order along the axis.
enum Flip {
    static func apply(_ input: Tensor, axis: Int) -> Tensor {
        let outer = input.shape.dimensions[..<axis].reduce(1, *), size = input.shape[axis]
        let inner = input.shape.dimensions[(axis + 1)...].reduce(1, *)
        return Tensor(shape: input.shape) { output in
            let source = input.storage.pointer, destination = output.baseAddress!
            parallelFor(outer, grain: max(1, Elementwise.parallelThreshold / max(size * inner, 1))) { range in
                for o in range {
                    for i in 0..<size {
                        let from = source + (o * size + i) * inner, to = destination + (o * size + size - 1 - i) * inner
                        if inner == 1 { to.pointee = from.pointee } else { to.update(from: from, count: inner) }
                    }
                }
            }
        }
    }
}
