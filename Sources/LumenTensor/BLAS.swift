#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// The engine's only caller of BLAS: single-precision matrix products,
/// row-major, `C = alpha * op(A) * op(B) + beta * C`.
enum BLAS {
    /// - Parameters:
    ///   - transposeA: use `Aᵀ`; `A` is stored `[k, m]` then, else `[m, k]`.
    ///   - transposeB: use `Bᵀ`; `B` is stored `[n, k]` then, else `[k, n]`.
    ///   - lda, ldb, ldc: row strides; default to the dense layout.
    static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int? = nil,
        b: UnsafePointer<Float>, ldb: Int? = nil,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int? = nil
    ) {
        guard m > 0, n > 0 else { return }
        let lda = lda ?? (transposeA ? m : k)
        let ldb = ldb ?? (transposeB ? k : n)
        let ldc = ldc ?? n
        guard k > 0 else {
            for row in 0..<m { for column in 0..<n { c[row * ldc + column] *= beta } }
            return
        }
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb),
            beta, c, Int32(ldc))
    }
}
