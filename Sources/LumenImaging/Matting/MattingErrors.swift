/// Which pixels the matting errors are summed over.
public enum MattingRegion: String, CaseIterable, Sendable, Codable {
    /// The trimap's unknown pixels (value 128), as Adobe's Deep Image Matting
    /// MATLAB code scores Composition-1k. The prediction is used as given: the
    /// known regions are not forced to 0 and 1 first.
    case unknown
    /// Every pixel, the trimap ignored, as trimap-free papers score (PaddleSeg with
    /// `trimap=None`; RVM's Grad and Conn).
    case whole
}

/// The four standard matting errors of a predicted alpha against the ground
/// truth, with the scalings of Deep Image Matting's evaluation code, plus MAD.
///
/// ```swift
/// let errors = try MattingErrors(prediction: predicted, groundTruth: alpha, trimap: trimap, region: .unknown)
/// print(errors.sad, errors.mse, errors.gradient, errors.connectivity)
/// ```
///
/// SAD, MSE, MAD and Conn are exact sums of integers, divided once in `Double`;
/// Grad filters in `Double`. The values reproduce every case of
/// `shared/fixtures/matting/cases.json` (tested).
public struct MattingErrors: Sendable, Equatable, Codable {
    /// Σ |α̂ − α| over the region, / 1000.
    public var sad: Double
    /// Mean of (α̂ − α)² over the region; not divided by 1000 (papers often print it × 1000).
    public var mse: Double
    /// Mean of |α̂ − α| over the region (MODNet's and RVM's MAD).
    public var mad: Double
    /// Σ (|∇ mat2gray(α̂)| − |∇ mat2gray(α)|)² over the region, / 1000; ∇ is
    /// `gaussgradient` with σ 1.4 (a 9 x 9 kernel, replicated borders), and
    /// `mat2gray` a min-max over the whole image.
    public var gradient: Double
    /// Σ |φ(α̂) − φ(α)| over the region, / 1000: thresholds every 0.1, the largest
    /// 4-connected component of both above each, θ = 0.15.
    public var connectivity: Double
    /// How many pixels the region has.
    public var regionPixels: Int

    public init(sad: Double, mse: Double, mad: Double, gradient: Double, connectivity: Double, regionPixels: Int) {
        (self.sad, self.mse, self.mad, self.gradient, self.connectivity, self.regionPixels)
            = (sad, mse, mad, gradient, connectivity, regionPixels)
    }

    /// The errors of `prediction` against `groundTruth` over `region`; `trimap`
    /// is needed for ``MattingRegion/unknown`` and ignored for ``MattingRegion/whole``.
    public init(prediction: Matte, groundTruth: Matte, trimap: Trimap?, region: MattingRegion) throws(MattingError) {
        try Self.checkSize(prediction.width, prediction.height, groundTruth.width, groundTruth.height,
                           what: "the predicted alpha and the ground truth")
        let mask: [Bool]
        switch region {
        case .whole:
            mask = [Bool](repeating: true, count: groundTruth.levels.count)
        case .unknown:
            guard let trimap else { throw .missingTrimap }
            try Self.checkSize(trimap.width, trimap.height, groundTruth.width, groundTruth.height,
                               what: "the trimap and the ground truth")
            mask = trimap.values.map { $0 == Trimap.unknown }
        }
        let count = mask.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard count > 0 else { throw .noUnknownRegion }

        var absoluteSum = 0, squaredSum = 0
        for (index, inside) in mask.enumerated() where inside {
            let difference = Int(prediction.levels[index]) - Int(groundTruth.levels[index])
            absoluteSum += abs(difference)
            squaredSum += difference * difference
        }
        let predictedAmplitude = gaussianGradientAmplitude(prediction)
        let trueAmplitude = gaussianGradientAmplitude(groundTruth)
        var gradientSum = 0.0
        for (index, inside) in mask.enumerated() where inside {
            let difference = predictedAmplitude[index] - trueAmplitude[index]
            gradientSum += difference * difference
        }
        let connectivitySum = connectivityErrorSum(prediction, groundTruth, mask: mask)
        self.init(sad: Double(absoluteSum) / 255 / 1000,
                  mse: Double(squaredSum) / 65_025 / Double(count),
                  mad: Double(absoluteSum) / 255 / Double(count),
                  gradient: gradientSum / 1000,
                  connectivity: Double(connectivitySum) / Double(connectivityScale) / 1000,
                  regionPixels: count)
    }

    private static func checkSize(_ width: Int, _ height: Int, _ otherWidth: Int, _ otherHeight: Int,
                                  what: String) throws(MattingError) {
        guard width == otherWidth && height == otherHeight else {
            throw .sizeMismatch(what: what, width: width, height: height, otherWidth: otherWidth, otherHeight: otherHeight)
        }
    }
}
