import Foundation

/// The moment-matching fit of an asymmetric generalized Gaussian distribution
/// (Lasmar, Stitou & Berthoumieu 2009) used by NIQE's features, as in the MATLAB
/// release and BasicSR's `estimate_aggd_param`.
///
/// The shape `alpha` is searched on the grid 0.2, 0.201, …, 10 (the nearest value
/// of `Γ(2/α)² / (Γ(1/α) Γ(3/α))` to the normalised moment ratio); with no negative
/// or no positive sample the scales are NaN and `alpha` is the grid's first value,
/// which is what the reference implementations return and what NIQE then skips.
struct AsymmetricGeneralizedGaussian {
    /// The shape.
    let alpha: Double
    /// The scales of the negative and positive halves.
    let leftScale, rightScale: Double

    /// `(β_r − β_l) · Γ(2/α) / Γ(1/α)`, the distribution's mean.
    var mean: Double { (rightScale - leftScale) * tgamma(2 / alpha) / tgamma(1 / alpha) }

    init<Values: Collection<Double>>(fitting values: Values) {
        var (leftSquares, leftCount, rightSquares, rightCount) = (0.0, 0, 0.0, 0)
        var (absoluteSum, squareSum) = (0.0, 0.0)
        for value in values {
            let square = value * value
            if value < 0 { leftSquares += square; leftCount += 1 }
            if value > 0 { rightSquares += square; rightCount += 1 }
            absoluteSum += abs(value)
            squareSum += square
        }
        let count = Double(values.count)
        let leftDeviation = (leftSquares / Double(leftCount)).squareRoot()
        let rightDeviation = (rightSquares / Double(rightCount)).squareRoot()
        let gamma = leftDeviation / rightDeviation
        let ratio = (absoluteSum / count) * (absoluteSum / count) / (squareSum / count)
        let normalised = ratio * (gamma * gamma * gamma + 1) * (gamma + 1) / ((gamma * gamma + 1) * (gamma * gamma + 1))
        alpha = Self.shape(matching: normalised)
        let factor = (tgamma(1 / alpha) / tgamma(3 / alpha)).squareRoot()
        (leftScale, rightScale) = (leftDeviation * factor, rightDeviation * factor)
    }

    /// The grid value whose moment ratio is nearest to `ratio` (the first on ties,
    /// the first of all for NaN, as NumPy's `argmin`).
    static func shape(matching ratio: Double) -> Double {
        guard !ratio.isNaN else { return grid[0].alpha }
        var best = 0, bestError = Double.infinity
        for (index, point) in grid.enumerated() {
            let error = (point.ratio - ratio) * (point.ratio - ratio)
            if error < bestError { (best, bestError) = (index, error) }
        }
        return grid[best].alpha
    }

    /// `α = 0.2 + 0.001 i` for `i = 0 ... 9800` and `Γ(2/α)² / (Γ(1/α) Γ(3/α))`.
    static let grid: [(alpha: Double, ratio: Double)] = (0...9800).map { step in
        let alpha = 0.2 + Double(step) * 0.001
        let ratio = tgamma(2 / alpha) * tgamma(2 / alpha) / (tgamma(1 / alpha) * tgamma(3 / alpha))
        return (alpha, ratio)
    }
}
