import Foundation
import LumenTensor

/// Natural Image Quality Evaluator (Mittal, Soundararajan & Bovik 2013, "Making a
/// 'Completely Blind' Image Quality Analyzer", https://doi.org/10.1109/LSP.2012.2227726):
/// the distance between a multivariate Gaussian fitted to the image's natural-scene
/// statistics and the one fitted to pristine images. Lower is better.
///
/// Follows the MATLAB release and BasicSR's `calculate_niqe` (its pristine model is
/// embedded, Apache-2.0): Y of MATLAB's `rgb2ycbcr` on the 0–255 scale, rounded;
/// the image cropped to whole 96 x 96 blocks; per block, 18 features of the
/// mean-subtracted contrast-normalised coefficients `(I − μ) / (σ + 1)` (7 x 7
/// Gaussian window, replicated border): the generalized Gaussian fit of the
/// coefficients and the asymmetric fits of their products with the four
/// neighbours (circularly within the block); the same again at half size (MATLAB's
/// bicubic `imresize(_, 0.5)` with antialiasing); then
/// `sqrt((ν1 − ν2)ᵀ ((Σ1 + Σ2) / 2)⁻¹ (ν1 − ν2))`. BasicSR's `baboon.png` scores
/// 5.7296, as in MATLAB R2021a.
///
/// - Parameter image: RGB `[1, 3, H, W]` in `[0, 1]`, with room for at least two
///   96 x 96 blocks (the features' covariance needs two).
/// - Returns: the score; NaN when no block has texture (a flat image).
public func niqe(_ image: Tensor) -> Double {
    let (height, width) = imageSize(image, channels: 3, for: "NIQE")
    let (rows, columns) = (height / 96, width / 96)
    precondition(rows * columns >= 2, "NIQE of a \(width)x\(height) image; needs two 96x96 blocks")
    let luma = Plane(YCbCr.luma(image, range: .studio), channel: 0, scale: 255)
    let cropped = Plane(width: columns * 96, height: rows * 96, values: (0..<rows * 96).flatMap { y in
        (0..<columns * 96).map { x in luma[y, x].rounded(.toNearestOrEven) }
    })
    let halved = cropped.mapped { $0 / 255 }.resizedLikeMATLAB(height: rows * 48, width: columns * 48).mapped {
        // The reference implementations hold this image in single precision.
        Double(Float($0) * 255)
    }
    let fine = NIQEFeatures.blocks(of: cropped, blockSize: 96)
    let coarse = NIQEFeatures.blocks(of: halved, blockSize: 48)
    let features = zip(fine, coarse).map { $0 + $1 }
    return NIQEFeatures.distanceToPristine(features)
}

/// The steps of ``niqe(_:)``.
enum NIQEFeatures {
    /// The 18 features of every `blockSize` x `blockSize` block, row by row.
    static func blocks(of plane: Plane<Double>, blockSize: Int) -> [[Double]] {
        let coefficients = normalised(plane)
        let (rows, columns) = (plane.height / blockSize, plane.width / blockSize)
        var features = [[Double]](repeating: [], count: rows * columns)
        features.withUnsafeMutableBufferPointer { features in
            parallelFor(rows * columns) { blocks in
                for block in blocks {
                    let (top, left) = (block / columns * blockSize, block % columns * blockSize)
                    let values = (0..<blockSize).flatMap { y in
                        (0..<blockSize).map { x in coefficients[top + y, left + x] }
                    }
                    features[block] = blockFeatures(values, size: blockSize)
                }
            }
        }
        return features
    }

    /// The mean-subtracted contrast-normalised coefficients `(I − μ) / (σ + 1)`.
    ///
    /// MATLAB and BasicSR compute `μ`, `σ` in single precision, and
    /// `σ = sqrt(|E[I²] − μ²|)` cancels catastrophically in flat regions, where
    /// float rounding alone makes `σ` about 0.06 on the 0–255 scale; rounding the
    /// same way here reproduces their scores to about 1e-6 (double precision
    /// throughout gives 5.72996 instead of 5.72957 on `baboon.png`).
    static func normalised(_ plane: Plane<Double>) -> Plane<Double> {
        let window = NIQEModel.window
        let mean = plane.replicatePadded(3).filteredValid(window: window, size: 7)
        let squares = plane.mapped { Double(Float($0) * Float($0)) }.replicatePadded(3).filteredValid(window: window, size: 7)
        return Plane(width: plane.width, height: plane.height, values: plane.values.indices.map { index in
            let (value, mu, meanSquare) = (Float(plane.values[index]), Float(mean.values[index]), Float(squares.values[index]))
            let sigma = abs(meanSquare - mu * mu).squareRoot()
            return Double((value - mu) / (sigma + 1))
        })
    }

    /// The features of one square block of coefficients, row-major.
    static func blockFeatures(_ block: [Double], size: Int) -> [Double] {
        let fit = AsymmetricGeneralizedGaussian(fitting: block)
        var features = [fit.alpha, (fit.leftScale + fit.rightScale) / 2]
        for (down, right) in [(0, 1), (1, 0), (1, 1), (1, -1)] {
            // NumPy's roll: each coefficient times its neighbour, wrapping around the block.
            let products = (0..<size).flatMap { y in
                (0..<size).map { x in
                    block[y * size + x] * block[(y - down + size) % size * size + (x - right + size) % size]
                }
            }
            let fit = AsymmetricGeneralizedGaussian(fitting: products)
            features += [fit.alpha, fit.mean, fit.leftScale, fit.rightScale]
        }
        return features
    }

    /// The Mahalanobis-like distance between the features' Gaussian and the pristine
    /// one: the mean ignores NaN features per column (`nanmean`), the covariance
    /// (`n − 1` normalisation) skips blocks with any NaN feature.
    static func distanceToPristine(_ features: [[Double]]) -> Double {
        let dimension = NIQEModel.mean.count
        let mean = (0..<dimension).map { column in
            let values = features.map { $0[column] }.filter { !$0.isNaN }
            return values.reduce(0, +) / Double(values.count)
        }
        let complete = features.filter { !$0.contains(where: \.isNaN) }
        guard complete.count >= 2 else { return .nan }
        let completeMean = (0..<dimension).map { column in complete.reduce(0) { $0 + $1[column] } / Double(complete.count) }
        var pooled = [Double](repeating: 0, count: dimension * dimension)
        for i in 0..<dimension {
            for j in 0..<dimension {
                let covariance = complete.reduce(0) { $0 + ($1[i] - completeMean[i]) * ($1[j] - completeMean[j]) }
                    / Double(complete.count - 1)
                pooled[i * dimension + j] = (NIQEModel.covariance[i * dimension + j] + covariance) / 2
            }
        }
        let difference = (0..<dimension).map { NIQEModel.mean[$0] - mean[$0] }
        guard let solved = choleskySolved(pooled, difference) else { return .nan }
        return zip(difference, solved).reduce(0) { $0 + $1.0 * $1.1 }.squareRoot()
    }

    /// `A⁻¹ b` for a symmetric positive-definite `A` (row-major), by Cholesky
    /// factorisation; nil if `A` is not positive definite. The pristine covariance
    /// is, so the pooled one always is (the references use a pseudo-inverse, which
    /// is the inverse here).
    static func choleskySolved(_ a: [Double], _ b: [Double]) -> [Double]? {
        let n = b.count
        var lower = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= lower[i * n + k] * lower[j * n + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    lower[i * n + i] = sum.squareRoot()
                } else {
                    lower[i * n + j] = sum / lower[j * n + j]
                }
            }
        }
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= lower[i * n + k] * y[k] }
            y[i] /= lower[i * n + i]
        }
        for i in (0..<n).reversed() {
            for k in (i + 1)..<n { y[i] -= lower[k * n + i] * y[k] }
            y[i] /= lower[i * n + i]
        }
        return y
    }
}
