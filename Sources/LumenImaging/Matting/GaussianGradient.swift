import Foundation

/// `sqrt(gx² + gy²)` of `mat2gray(matte)` with MATLAB's `gaussgradient(·, 1.4)`:
/// `hx(i, j) = g(i) · g'(j)` over a 9 x 9 window (half size
/// `ceil(σ·sqrt(−2·ln(sqrt(2π)·σ·0.01)))` = 4), divided by its L2 norm, `hy = hxᵀ`,
/// replicated borders. The kernel is separable, so each derivative is a row pass
/// and a column pass; whether it is applied as a convolution or a correlation only
/// flips the sign of gx and gy, not the amplitude.
func gaussianGradientAmplitude(_ matte: Matte, sigma: Double = 1.4) -> [Double] {
    let (width, height) = (matte.width, matte.height)
    let low = Double(matte.levels.min()!), high = Double(matte.levels.max()!)
    // mat2gray: min-max over the whole image; a constant image has no gradient anyway.
    let image = matte.levels.map { high > low ? (Double($0) - low) / (high - low) : min(Double($0), 1) }

    let half = Int((sigma * (-2 * log((2 * Double.pi).squareRoot() * sigma * 0.01)).squareRoot()).rounded(.up))
    let gauss = (-half...half).map { x in exp(-Double(x * x) / (2 * sigma * sigma)) / (sigma * (2 * Double.pi).squareRoot()) }
    let derivative = (-half...half).map { x in -Double(x) * gauss[x + half] / (sigma * sigma) }
    let norm = (gauss.reduce(0) { $0 + $1 * $1 } * derivative.reduce(0) { $0 + $1 * $1 }).squareRoot()

    /// Correlates each row (`alongRows`) or each column with `taps`, replicating borders.
    func filtered(_ values: [Double], _ taps: [Double], alongRows: Bool) -> [Double] {
        var result = [Double](repeating: 0, count: values.count)
        for y in 0..<height {
            for x in 0..<width {
                var sum = 0.0
                for (offset, tap) in taps.enumerated() {
                    let shift = offset - half
                    let index = alongRows
                        ? y * width + min(max(x + shift, 0), width - 1)
                        : min(max(y + shift, 0), height - 1) * width + x
                    sum += tap * values[index]
                }
                result[y * width + x] = sum
            }
        }
        return result
    }
    let gx = filtered(filtered(image, derivative, alongRows: true), gauss, alongRows: false)
    let gy = filtered(filtered(image, gauss, alongRows: true), derivative, alongRows: false)
    return zip(gx, gy).map { ($0 * $0 + $1 * $1).squareRoot() / norm }
}
