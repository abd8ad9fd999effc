/// Matrix products through BLAS.
extension Tensor {
    /// Batched matrix product `[..., M, K] × [..., K, N] -> [..., M, N]`.
    ///
    /// Batch axes must be equal, or `b` may be a single `[K, N]` matrix shared by
    /// every batch entry (a linear layer).
    public func matmul(_ b: Tensor) -> Tensor {
        let a = self
        return MatMul.product(a, b, transposeA: false, transposeB: false).recorded(.matmul, inputs: [a, b]) { g in
            if GradientMode.isEnabled {
                return [a.needsGradient ? g.matmul(b.transposed()).summed(toShape: a.shape) : nil,
                        b.needsGradient ? a.transposed().matmul(g).summed(toShape: b.shape) : nil]
            }
            return [a.needsGradient ? MatMul.product(g, b, transposeA: false, transposeB: true).summed(toShape: a.shape) : nil,
             b.needsGradient ? MatMul.product(a, g, transposeA: true, transposeB: false).summed(toShape: b.shape) : nil]
        }
    }

    /// Affine map `x Wᵀ + b` over the last axis: `x [..., in]`, `weight [out, in]`,
    /// `bias [out]`, as PyTorch's `F.linear`.
    public func linear(weight: Tensor, bias: Tensor? = nil) -> Tensor {
        let product = matmul(weight.transposed())
        return bias.map { product + $0 } ?? product
    }
}

enum MatMul {
    /// `op(a) × op(b)` per batch entry; a rank-2 `b` is shared by all entries, and
    /// then so is the result's gradient with respect to it (summed by the caller).
    static func product(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
        precondition(a.shape.rank >= 2 && b.shape.rank >= 2, "matmul of \(a.shape) and \(b.shape)")
        let aRows = a.shape[-2], aColumns = a.shape[-1], bRows = b.shape[-2], bColumns = b.shape[-1]
        let m = transposeA ? aColumns : aRows, k = transposeA ? aRows : aColumns
        let n = transposeB ? bRows : bColumns, kb = transposeB ? bColumns : bRows
        precondition(k == kb, "matmul inner dimensions differ: \(a.shape) and \(b.shape)")
        let batchA = Array(a.shape.dimensions.dropLast(2)), batchB = Array(b.shape.dimensions.dropLast(2))
        let batch = batchA.isEmpty ? batchB : batchA
        precondition(batchB.isEmpty || batchA.isEmpty || batchA == batchB, "matmul batch axes \(a.shape) and \(b.shape)")
        let batchCount = batch.reduce(1, *)
        let strideA = batchA.isEmpty ? 0 : aRows * aColumns, strideB = batchB.isEmpty ? 0 : bRows * bColumns
        return Tensor(shape: Shape(batch + [m, n])) { out in
            let pa = a.storage.pointer, pb = b.storage.pointer, pc = out.baseAddress!
            if strideB == 0 && !transposeA && batchCount > 1 {
                // One tall product instead of many small ones: rows of every batch entry are contiguous.
                BLAS.sgemm(transposeB: transposeB, m: m * batchCount, n: n, k: k, a: pa, b: pb, c: pc)
                return
            }
            for i in 0..<batchCount {
                BLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                           a: pa + i * strideA, b: pb + i * strideB, c: pc + i * m * n)
            }
        }
    }
}
