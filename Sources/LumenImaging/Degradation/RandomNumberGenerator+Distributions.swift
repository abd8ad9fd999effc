import Foundation

extension RandomNumberGenerator {
    /// A draw from the Poisson distribution with mean `lambda` (≥ 0).
    ///
    /// Below λ = 10, Knuth's multiplication method (about λ + 1 uniforms); above,
    /// Hörmann's transformed rejection with squeeze, PTRS ("The transformed rejection
    /// method for generating Poisson random variables", Insurance: Mathematics and
    /// Economics 12, 1993), whose cost does not grow with λ. Both are exact.
    mutating func nextPoisson(lambda: Double) -> Double {
        precondition(lambda >= 0 && lambda.isFinite, "Poisson mean \(lambda); expected a finite value >= 0")
        if lambda < 10 {
            let limit = exp(-lambda)
            var (product, count) = (Double.random(in: 0..<1, using: &self), 0.0)
            while product > limit {
                product *= Double.random(in: 0..<1, using: &self)
                count += 1
            }
            return count
        }
        let root = lambda.squareRoot(), logLambda = log(lambda)
        let b = 0.931 + 2.53 * root
        let a = -0.059 + 0.02483 * b
        let inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let acceptance = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = Double.random(in: 0..<1, using: &self) - 0.5
            let v = Double.random(in: 0..<1, using: &self)
            let distance = 0.5 - abs(u)
            // Kept in Double: at u = −0.5 the candidate is −∞, which the `k < 0` test rejects.
            let k = ((2 * a / distance + b) * u + lambda + 0.43).rounded(.down)
            if distance >= 0.07 && v <= acceptance { return k }
            if k < 0 || (distance < 0.013 && v > distance) { continue }
            if log(v) + log(inverseAlpha) - log(a / (distance * distance) + b) <= -lambda + k * logLambda - lgamma(k + 1) {
                return k
            }
        }
    }

    /// A draw from the standard normal distribution (Box–Muller, one value per pair of uniforms).
    public mutating func nextGaussian() -> Double {
        let radius = (-2 * log(Double.random(in: Double.leastNormalMagnitude..<1, using: &self))).squareRoot()
        return radius * cos(2 * Double.pi * Double.random(in: 0..<1, using: &self))
    }
}
