import Foundation
import LumenTensor

/// Blind/referenceless image spatial quality evaluator (Mittal, Moorthy & Bovik 2012,
/// "No-Reference Image Quality Assessment in the Spatial Domain",
/// https://doi.org/10.1109/TIP.2012.2214050): a support-vector regression from
/// natural-scene statistics of the gray image to a quality score, about 0 (best)
/// to 100. Lower is better.
///
/// Reproduces the `brisque` Python package 0.2.0 (https://github.com/rehanguha/brisque),
/// whose trained model is embedded (Apache-2.0): the 8-bit levels `round(255 v)`;
/// gray `0.2125 R + 0.7154 G + 0.0721 B` (scikit-image's `rgb2gray`) in `[0, 1]`;
/// mean-subtracted contrast-normalised coefficients `(I − μ) / (σ + 1/255)` with a
/// 7 x 7 Gaussian window (σ = 7/6, zero padding); per scale 18 features, from
/// asymmetric generalized Gaussian fits of the coefficients and of their products
/// with the right, lower, lower-right and lower-left neighbours; the second scale
/// after OpenCV's bicubic `resize` by 1/2; the 36 features scaled to `[−1, 1]` by the
/// training ranges, then the SVR. Scores agree with the package's to about 1e-4
/// (4e-3 at worst on the test images: in flat regions its features turn on the last
/// bit of NumPy's arithmetic). They are not comparable with MATLAB's `brisque`,
/// which uses another model.
///
/// - Parameter image: RGB `[1, 3, H, W]` in `[0, 1]`, at least 8 x 8.
/// - Returns: the score; NaN for a flat image (no coefficient is negative).
public func brisque(_ image: Tensor) -> Double {
    let (height, width) = imageSize(image, channels: 3, for: "BRISQUE")
    precondition(height >= 8 && width >= 8, "BRISQUE of a \(width)x\(height) image; needs at least 8x8")
    // The package scores 8-bit images; take the levels as it sees them, `v · (1/255)`
    // (scikit-image's `img_as_float`; see `BRISQUEFeatures.window` for why bits matter).
    let rgb = Plane.channels(of: image, scale: 255).map { $0.mapped { min(max($0.rounded(), 0), 255) * (1.0 / 255) } }
    let gray = Plane(width: width, height: height, values: rgb[0].values.indices.map { index in
        0.2125 * rgb[0].values[index] + 0.7154 * rgb[1].values[index] + 0.0721 * rgb[2].values[index]
    })
    let features = BRISQUEFeatures.scale(gray) + BRISQUEFeatures.scale(BRISQUEFeatures.halvedLikeOpenCV(gray))
    let scaled = features.indices.map { index in
        let (low, high) = (BRISQUEModel.featureMinimum[index], BRISQUEModel.featureMaximum[index])
        return -1 + 2 * (features[index] - low) / (high - low)
    }
    return BRISQUEModel.supportVectors.reduce(-BRISQUEModel.rho) { sum, support in
        let distance = zip(support.vector, scaled).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return sum + support.coefficient * exp(-BRISQUEModel.gamma * distance)
    }
}

/// The steps of ``brisque(_:)``, as the `brisque` package computes them.
enum BRISQUEFeatures {
    /// The 18 features of one scale.
    static func scale(_ gray: Plane<Double>) -> [Double] {
        let coefficients = normalised(gray)
        let (width, height) = (gray.width, gray.height)
        let fit = Fit(coefficients.values)
        var features = [fit.alpha, (fit.leftVariance + fit.rightVariance) / 2]
        for (down, right) in [(0, 1), (1, 0), (1, 1), (1, -1)] {
            let columns = max(0, -right)..<(width - max(0, right))
            let products = (0..<(height - down)).flatMap { y in
                columns.map { x in coefficients[y, x] * coefficients[y + down, x + right] }
            }
            let fit = Fit(products)
            features += [fit.alpha, fit.mean, fit.leftVariance, fit.rightVariance]
        }
        return features
    }

    /// `(I − μ) / (σ + 1/255)` with `σ = sqrt(|μ² − E[I²]|)`, local statistics from the
    /// normalised 7 x 7 Gaussian with σ = 7/6 over zero padding.
    static func normalised(_ gray: Plane<Double>) -> Plane<Double> {
        let mean = gray.zeroPadded(3).filteredValid(window: window, size: 7)
        let squares = Plane.combining(gray, gray, *).zeroPadded(3).filteredValid(window: window, size: 7)
        return Plane(width: gray.width, height: gray.height, values: gray.values.indices.map { index in
            let deviation = abs(mean.values[index] * mean.values[index] - squares.values[index]).squareRoot()
            return (gray.values[index] - mean.values[index]) / (deviation + 1.0 / 255)
        })
    }

    /// The package's `gaussian_kernel2d(7, 7/6)` bit for bit: the same expression,
    /// normalised by NumPy's pairwise sum (eight lanes, then the last weight). The
    /// bits matter: in flat regions `I − μ` is a rounding residue whose sign decides
    /// on which side of the asymmetric fits the pixel (and every product it takes part
    /// in) falls, and a window summing to `1 + 4 ulp` instead of NumPy's `1 − 1 ulp`
    /// moves a dark image's score by 0.1.
    static let window: [Double] = {
        let sigma = 7.0 / 6
        let scale = 1 / (2 * Double.pi * (sigma * sigma))
        let raw = (0..<49).map { index -> Double in
            let (y, x) = (index / 7 - 3, index % 7 - 3)
            return scale * exp(Double(-(x * x + y * y)) / (2 * (sigma * sigma)))
        }
        var lanes = Array(raw[0..<8])
        for block in stride(from: 8, to: 48, by: 8) {
            for lane in 0..<8 { lanes[lane] += raw[block + lane] }
        }
        let total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7])) + raw[48]
        return raw.map { $0 / total }
    }()

    /// OpenCV's `resize(fx: 0.5, fy: 0.5, INTER_CUBIC)`: `round(n / 2)` samples (ties
    /// to even) centred at `2i + 0.5`, so Keys' kernel (`a = −0.75`) at distance ½
    /// and 1½ gives the taps `2i − 1 … 2i + 2` the weights −3/32, 19/32, 19/32, −3/32;
    /// taps beyond the edge repeat it. Rows first, then columns.
    static func halvedLikeOpenCV(_ plane: Plane<Double>) -> Plane<Double> {
        let weights = [-0.093_75, 0.593_75, 0.593_75, -0.093_75]
        let (outWidth, outHeight) = (Int((Double(plane.width) / 2).rounded(.toNearestOrEven)),
                                     Int((Double(plane.height) / 2).rounded(.toNearestOrEven)))
        func tap(_ output: Int, _ k: Int, count: Int) -> Int { min(max(2 * output - 1 + k, 0), count - 1) }
        let horizontal = Plane.byRows(width: outWidth, height: plane.height) { y, output in
            for x in 0..<outWidth {
                output[x] = (0..<4).reduce(0) { $0 + weights[$1] * plane[y, tap(x, $1, count: plane.width)] }
            }
        }
        return Plane.byRows(width: outWidth, height: outHeight) { y, output in
            for x in 0..<outWidth {
                output[x] = (0..<4).reduce(0) { $0 + weights[$1] * horizontal[tap(y, $1, count: plane.height), x] }
            }
        }
    }

    /// The package's asymmetric generalized Gaussian fit: the shape solves
    /// `Γ(2/α)² / (Γ(1/α) Γ(3/α)) = R̂` (bisection on `[0.01, 100]` in place of SciPy's
    /// `root` from 0.2, which finds the same root of this increasing function), and
    /// the two sides are the raw mean squares of the negative and the non-negative values.
    struct Fit {
        let alpha, mean, leftVariance, rightVariance: Double

        init(_ values: [Double]) {
            var (leftSquares, leftCount, rightSquares, absoluteSum) = (0.0, 0, 0.0, 0.0)
            for value in values {
                if value < 0 { leftSquares += value * value; leftCount += 1 } else { rightSquares += value * value }
                absoluteSum += abs(value)
            }
            let count = Double(values.count)
            leftVariance = leftSquares / Double(leftCount)
            rightVariance = rightSquares / Double(values.count - leftCount)
            let gamma = leftVariance.squareRoot() / rightVariance.squareRoot()
            let ratio = (absoluteSum / count) * (absoluteSum / count) / ((leftSquares + rightSquares) / count)
            let target = ratio * (gamma * gamma * gamma + 1) * (gamma + 1) / ((gamma * gamma + 1) * (gamma * gamma + 1))
            alpha = Self.shape(matching: target)
            let spread = exp(0.5 * (lgamma(1 / alpha) - lgamma(3 / alpha)))
            mean = (rightVariance.squareRoot() - leftVariance.squareRoot()) * spread * exp(lgamma(2 / alpha) - lgamma(1 / alpha))
        }

        /// The `α` whose moment ratio `Γ(2/α)² / (Γ(1/α) Γ(3/α))` is `target`; NaN for NaN.
        static func shape(matching target: Double) -> Double {
            guard !target.isNaN else { return .nan }
            var (low, high) = (0.01, 100.0)
            for _ in 0..<100 {
                let middle = (low + high) / 2
                let ratio = exp(2 * lgamma(2 / middle) - lgamma(1 / middle) - lgamma(3 / middle))
                if ratio < target { low = middle } else { high = middle }
            }
            return (low + high) / 2
        }
    }
}
