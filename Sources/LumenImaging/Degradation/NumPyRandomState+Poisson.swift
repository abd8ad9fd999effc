import Foundation

extension NumPyRandomState {
    /// `np.random.poisson(lam)`, one value, draw for draw as NumPy's legacy
    /// `RandomState`: the multiplication method below 10 and Hörmann's transformed
    /// rejection (PTRS, 1993) from 10 on, both on 53-bit uniform doubles.
    ///
    /// The seed's `simulate_low_light` draws its noise this way, so the fixture made
    /// with `np.random.seed(0)` can be reproduced pixel for pixel.
    public mutating func poisson(_ lambda: Double) -> Int {
        precondition(lambda >= 0 && lambda.isFinite, "poisson of \(lambda)")
        if lambda >= 10 { return transformedRejectionPoisson(lambda) }
        if lambda == 0 { return 0 }
        let limit = exp(-lambda)
        var count = 0, product = 1.0
        while true {
            product *= nextDouble()
            if product > limit { count += 1 } else { return count }
        }
    }

    private mutating func transformedRejectionPoisson(_ lambda: Double) -> Int {
        let logLambda = log(lambda)
        let b = 0.931 + 2.53 * lambda.squareRoot()
        let a = -0.059 + 0.02483 * b
        let inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let acceptanceBound = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = nextDouble() - 0.5
            let v = nextDouble()
            let distance = 0.5 - abs(u)
            let k = Int(((2 * a / distance + b) * u + lambda + 0.43).rounded(.down))
            if distance >= 0.07 && v <= acceptanceBound { return k }
            if k < 0 || (distance < 0.013 && v > distance) { continue }
            if log(v) + log(inverseAlpha) - log(a / (distance * distance) + b)
                <= -lambda + Double(k) * logLambda - Self.logGamma(Double(k + 1)) {
                return k
            }
        }
    }

    /// log Γ(x) for x ≥ 1 as NumPy's `random_loggam` computes it (Zhang and Jin's
    /// series, shifted up to 7), so the rejection test decides exactly as NumPy's.
    static func logGamma(_ x: Double) -> Double {
        if x == 1 || x == 2 { return 0 }
        let coefficients = [8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
                            -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03,
                            6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01,
                            -1.39243221690590e+00]
        let shift = x <= 7 ? Int(7 - x) : 0
        var x0 = x + Double(shift)
        let inverseSquare = 1 / (x0 * x0)
        var series = coefficients[9]
        for index in stride(from: 8, through: 0, by: -1) { series = series * inverseSquare + coefficients[index] }
        var result = series / x0 + 0.5 * log(2 * Double.pi) + (x0 - 0.5) * log(x0) - x0
        for _ in 0..<shift {
            result -= log(x0 - 1)
            x0 -= 1
        }
        return result
    }
}
