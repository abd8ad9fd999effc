/// Slicing, concatenation and splitting along one axis.
extension Tensor {
    /// The elements with index in `range` along `axis`.
    public func sliced(axis: Int, range: Range<Int>) -> Tensor {
        let axis = shape.normalizedAxis(axis)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[axis], "slice \(range) of axis \(axis) in \(shape)")
        let input = self
        var outDims = shape.dimensions
        outDims[axis] = range.count
        let output = AxisCopy.copy(from: input, into: Shape(outDims), axis: axis, sourceStart: range.lowerBound, destinationStart: 0, count: range.count)
        return output.recorded(.slice, inputs: [input]) { g in
            if GradientMode.isEnabled {
                // A recorded backward: the gradient placed between zeros, by a concatenation.
                var before = input.shape.dimensions, after = input.shape.dimensions
                before[axis] = range.lowerBound
                after[axis] = input.shape[axis] - range.upperBound
                return [Tensor.concatenated([Tensor(zeros: Shape(before)), g, Tensor(zeros: Shape(after))], axis: axis)]
            }
            let gradient = Tensor(zeros: input.shape)
            AxisCopy.copy(from: g, into: gradient, axis: axis, sourceStart: 0, destinationStart: range.lowerBound, count: range.count)
            return [gradient]
        }
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concatenated(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenating no tensors")
        let first = tensors[0].shape
        let axis = first.normalizedAxis(axis)
        var outDims = first.dimensions
        outDims[axis] = 0
        for tensor in tensors {
            var dims = tensor.shape.dimensions
            precondition(dims.count == first.rank, "concatenating \(tensor.shape) with \(first)")
            dims[axis] = 0
            precondition(dims == outDims, "concatenating \(tensor.shape) with \(first) along \(axis)")
        }
        outDims[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        let output = Tensor(shape: Shape(outDims)) { _ in }
        var starts: [Int] = []
        var start = 0
        for tensor in tensors {
            starts.append(start)
            AxisCopy.copy(from: tensor, into: output, axis: axis, sourceStart: 0, destinationStart: start, count: tensor.shape[axis])
            start += tensor.shape[axis]
        }
        return output.recorded(.concat, inputs: tensors) { g in
            zip(tensors, starts).map { tensor, start in
                tensor.needsGradient ? g.sliced(axis: axis, range: start ..< start + tensor.shape[axis]) : nil
            }
        }
    }

    /// Splits along `axis` into pieces of the given sizes (which must add up).
    public func split(sizes: [Int], axis: Int) -> [Tensor] {
        precondition(sizes.reduce(0, +) == shape[axis], "split sizes \(sizes) for axis \(axis) of \(shape)")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return sliced(axis: axis, range: start ..< start + size)
        }
    }
}

/// Copies blocks of consecutive indices along one axis between tensors of equal
/// outer and inner extent.
enum AxisCopy {
    static func copy(from source: Tensor, into shape: Shape, axis: Int, sourceStart: Int, destinationStart: Int, count: Int) -> Tensor {
        let output = Tensor(shape: shape) { _ in }
        copy(from: source, into: output, axis: axis, sourceStart: sourceStart, destinationStart: destinationStart, count: count)
        return output
    }

    static func copy(from source: Tensor, into destination: Tensor, axis: Int, sourceStart: Int, destinationStart: Int, count: Int) {
        let outer = source.shape.dimensions[..<axis].reduce(1, *)
        let inner = source.shape.dimensions[(axis + 1)...].reduce(1, *)
        let sourceAxis = source.shape[axis], destinationAxis = destination.shape[axis]
        let from = source.storage.pointer, to = destination.storage.pointer
        let block = count * inner
        parallelFor(outer, grain: max(1, Elementwise.parallelThreshold / max(block, 1))) { range in
            for o in range {
                (to + (o * destinationAxis + destinationStart) * inner)
                    .update(from: from + (o * sourceAxis + sourceStart) * inner, count: block)
            }
        }
    }
}

extension Tensor {
    /// Copies `patch` `[N, C, h, w]` into this `[N, C, H, W]` tensor in place, with its
    /// top-left corner at (`row`, `column`). Outside the autograd graph: for
    /// assembling results (tiled inference), not for training.
    public func paste(_ patch: Tensor, row: Int, column: Int) {
        precondition(shape.rank == 4 && patch.shape.rank == 4 && patch.shape[0] == shape[0] && patch.shape[1] == shape[1]
                     && row >= 0 && column >= 0 && row + patch.shape[2] <= shape[2] && column + patch.shape[3] <= shape[3],
                     "pasting \(patch.shape) at (\(row), \(column)) into \(shape)")
        let planes = shape[0] * shape[1], height = shape[2], width = shape[3]
        let patchHeight = patch.shape[2], patchWidth = patch.shape[3]
        let source = patch.storage.pointer, destination = storage.pointer
        parallelFor(planes) { range in
            for plane in range {
                for y in 0..<patchHeight {
                    (destination + (plane * height + row + y) * width + column)
                        .update(from: source + (plane * patchHeight + y) * patchWidth, count: patchWidth)
                }
            }
        }
    }
}
