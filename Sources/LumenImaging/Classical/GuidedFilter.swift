/// The guided filter of a plane guided by itself (He, Sun and Tang, ECCV 2010): an
/// edge-preserving smoother. With box means `μ` and `σ²` of the input `p` over the
/// window, `a = σ² / (σ² + ε)`, `b = (1 − a) μ`, and the output is
/// `mean(a) · p + mean(b)`: flat regions (σ² ≪ ε) are averaged, edges (σ² ≫ ε) kept.
struct GuidedFilter {
    let radius: Int
    let regularization: Float

    func callAsFunction(_ plane: Plane<Float>) -> Plane<Float> {
        let box = BoxFilter(radius: radius)
        let mean = box(plane)
        let meanOfSquares = box(plane.mapped { $0 * $0 })
        let slope = mean.combined(with: meanOfSquares) { mean, meanOfSquare in
            let variance = max(meanOfSquare - mean * mean, 0)
            return variance / (variance + regularization)
        }
        let offset = slope.combined(with: mean) { (1 - $0) * $1 }
        let meanOffset = box(offset)
        return box(slope).combined(with: plane) { $0 * $1 }.combined(with: meanOffset) { $0 + $1 }
    }
}
