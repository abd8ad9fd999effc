/// Element-wise kernels over contiguous buffers, with NumPy broadcasting.
enum Elementwise {
    /// Below this many elements a kernel runs on the calling thread.
    ///
    /// High on purpose: on the threaded path the per-element closure is called
    /// through its context instead of being inlined (measured: 2.2x the CPU time
    /// of the inlined single-thread loop), and these kernels are memory-bound, so
    /// a second thread only pays off on very large tensors.
    static let parallelThreshold = 1 << 22

    /// `output[i] = body(input[i])`, split over threads for large tensors.
    @inline(__always)
    static func map(_ input: Tensor, _ body: (Float) -> Float) -> Tensor {
        Tensor(shape: input.shape) { output in
            let source = input.storage.pointer
            let destination = output.baseAddress!
            parallelFor(output.count, grain: parallelThreshold) { range in
                for i in range { destination[i] = body(source[i]) }
            }
        }
    }

    /// `output = kernel(input)` with a C kernel of `CLumenKernels` (`lumen_tanh`,
    /// `lumen_sigmoid`) for the active instruction set, split over threads in large chunks.
    static func vectorized(_ input: Tensor,
                           _ kernel: (Int32, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void) -> Tensor {
        Tensor(shape: input.shape) { output in
            let source = input.storage.pointer, destination = output.baseAddress!
            let isa = InstructionSet.active.code
            parallelFor(output.count, grain: 1 << 16) { range in
                kernel(isa, source + range.lowerBound, destination + range.lowerBound, range.count)
            }
        }
    }

    /// `output[i] = body(a[i], b[i])` for two tensors of the same shape.
    @inline(__always)
    static func zip(_ a: Tensor, _ b: Tensor, _ body: (Float, Float) -> Float) -> Tensor {
        precondition(a.shape == b.shape, "element-wise operands \(a.shape) and \(b.shape)")
        return Tensor(shape: a.shape) { output in
            let pa = a.storage.pointer, pb = b.storage.pointer
            let destination = output.baseAddress!
            parallelFor(output.count, grain: parallelThreshold) { range in
                for i in range { destination[i] = body(pa[i], pb[i]) }
            }
        }
    }

    /// `output = body(a, b)` with `a` and `b` broadcast to a common shape.
    @inline(__always)
    static func broadcast(_ a: Tensor, _ b: Tensor, _ body: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape { return zip(a, b, body) }
        guard let shape = Shape.broadcast(a.shape, b.shape) else {
            preconditionFailure("shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        let layout = BroadcastLayout(output: shape, a: a.shape, b: b.shape)
        return Tensor(shape: shape) { output in
            let pa = a.storage.pointer, pb = b.storage.pointer
            let destination = output.baseAddress!
            let inner = layout.sizes.last ?? 1
            let innerA = layout.stridesA.last ?? 0, innerB = layout.stridesB.last ?? 0
            let outerCount = shape.elementCount / max(inner, 1)
            parallelFor(outerCount, grain: max(1, parallelThreshold / max(inner, 1))) { rows in
                for row in rows {
                    let (offsetA, offsetB) = layout.offsets(ofRow: row)
                    let out = destination + row * inner
                    let sa = pa + offsetA, sb = pb + offsetB
                    switch (innerA, innerB) {
                    case (1, 1): for i in 0..<inner { out[i] = body(sa[i], sb[i]) }
                    case (1, 0): let vb = sb[0]; for i in 0..<inner { out[i] = body(sa[i], vb) }
                    case (0, 1): let va = sa[0]; for i in 0..<inner { out[i] = body(va, sb[i]) }
                    default: for i in 0..<inner { out[i] = body(sa[i * innerA], sb[i * innerB]) }
                    }
                }
            }
        }
    }
}

extension Elementwise {
    /// Copies `input` broadcast to `target`.
    static func expand(_ input: Tensor, to target: Shape) -> Tensor {
        let layout = BroadcastLayout(output: target, a: target, b: input.shape)
        return Tensor(shape: target) { output in
            let source = input.storage.pointer, destination = output.baseAddress!
            let inner = layout.sizes.last ?? 1, innerStride = layout.stridesB.last ?? 0
            parallelFor(target.elementCount / max(inner, 1), grain: max(1, parallelThreshold / max(inner, 1))) { rows in
                for row in rows {
                    let offset = layout.offsets(ofRow: row).1
                    let out = destination + row * inner
                    if innerStride == 0 {
                        out.update(repeating: source[offset], count: inner)
                    } else {
                        for i in 0..<inner { out[i] = source[offset + i * innerStride] }
                    }
                }
            }
        }
    }
}

/// The strides of two operands broadcast to an output shape, with adjacent
/// dimensions merged where both operands allow it, so inner loops are long.
struct BroadcastLayout {
    var sizes: [Int] = []
    var stridesA: [Int] = []
    var stridesB: [Int] = []

    init(output: Shape, a: Shape, b: Shape) {
        let sa = Self.broadcastStrides(of: a, to: output), sb = Self.broadcastStrides(of: b, to: output)
        for axis in 0..<output.rank where output.dimensions[axis] != 1 {
            let size = output.dimensions[axis]
            if let last = sizes.indices.last,
               stridesA[last] == sa[axis] * size, stridesB[last] == sb[axis] * size {
                sizes[last] *= size
                stridesA[last] = sa[axis]
                stridesB[last] = sb[axis]
            } else {
                sizes.append(size); stridesA.append(sa[axis]); stridesB.append(sb[axis])
            }
        }
    }

    /// Element strides of `shape` viewed as `output`; 0 along broadcast axes.
    static func broadcastStrides(of shape: Shape, to output: Shape) -> [Int] {
        let offset = output.rank - shape.rank
        let own = shape.strides
        return (0..<output.rank).map { axis in
            axis < offset || shape.dimensions[axis - offset] == 1 ? 0 : own[axis - offset]
        }
    }

    /// Offsets into `a` and `b` of the first element of outer row `row`
    /// (all dimensions but the innermost).
    func offsets(ofRow row: Int) -> (Int, Int) {
        var remainder = row, offsetA = 0, offsetB = 0
        var axis = sizes.count - 2
        while axis >= 0 {
            let index = remainder % sizes[axis]
            remainder /= sizes[axis]
            offsetA += index * stridesA[axis]
            offsetB += index * stridesB[axis]
            axis -= 1
        }
        return (offsetA, offsetB)
    }
}
