import LumenImaging
import LumenTensor

/// Structural dissimilarity loss, `1 − mean SSIM`, differentiable in both images.
///
/// The SSIM map is ``LumenImaging/ssim(_:_:)``'s (Wang et al. 2004): 11-tap Gaussian
/// window with σ = 1.5 (``SSIMParameters``), population statistics, `C1 = 0.01²`,
/// `C2 = 0.03²` for data range 1. The local means come from two depthwise
/// convolutions (a 1 x 11 and an 11 x 1 pass) without padding, so only the pixels
/// where the window fits inside the image count, as in scikit-image's cropped mean;
/// the mean runs over those pixels, the channels and the batch. For one image the
/// loss is therefore `1 − ssim(prediction, target)` up to float rounding.
///
/// ```swift
/// let loss = ssimLoss(model(input), groundTruth)   // 0 when they are equal
/// ```
/// - Parameters:
///   - prediction: `[N, C, H, W]` in `[0, 1]`, `H` and `W` at least 11.
///   - target: the ground truth, the same shape.
/// - Returns: the loss, a scalar.
public func ssimLoss(_ prediction: Tensor, _ target: Tensor) -> Tensor {
    precondition(prediction.shape == target.shape && prediction.shape.rank == 4,
                 "ssimLoss of \(prediction.shape) and \(target.shape); expected two [N, C, H, W]")
    let channels = prediction.shape[1]
    precondition(min(prediction.shape[2], prediction.shape[3]) >= SSIMParameters.minimumSide,
                 "ssimLoss of \(prediction.shape); needs H, W >= \(SSIMParameters.minimumSide)")
    // The five local statistics in one depthwise pass: x, y, x², y², xy.
    let stacked = Tensor.concatenated([prediction, target, prediction * prediction, target * target, prediction * target],
                                      axis: 1)
    let taps = SSIMParameters.taps.map(Float.init)
    let size = taps.count
    let groups = 5 * channels
    let horizontal = Tensor(shape: [groups, 1, 1, size], scalars: Array((0..<groups).map { _ in taps }.joined()))
    let vertical = horizontal.reshaped([groups, 1, size, 1])
    let local = conv2d(conv2d(stacked, weight: horizontal, groups: groups), weight: vertical, groups: groups)
    let moments = local.split(sizes: Array(repeating: channels, count: 5), axis: 1)
    let (meanX, meanY) = (moments[0], moments[1])
    let meanXY = meanX * meanY
    let squaredMeans = meanX * meanX + meanY * meanY
    let luminance = (2 * meanXY + Float(SSIMParameters.c1)) / (squaredMeans + Float(SSIMParameters.c1))
    let structure = (2 * (moments[4] - meanXY) + Float(SSIMParameters.c2))
        / (moments[2] + moments[3] - squaredMeans + Float(SSIMParameters.c2))
    return 1 - (luminance * structure).mean()
}
