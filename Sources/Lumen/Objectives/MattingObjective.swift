import LumenNN
import LumenTensor

/// MSE of the Sobel gradient magnitudes `sqrt(gx² + gy² + 1e-8)` of two mattes
/// `[N, 1, H, W]`: seed 001's `EdgeAwareLoss` edge term. The Sobel filters run with
/// zero padding 1, as the seed's `F.conv2d(x, sobel, padding=1)`.
public func edgeLoss(_ prediction: Tensor, _ target: Tensor) -> Tensor {
    precondition(prediction.shape == target.shape && prediction.shape.rank == 4 && prediction.shape[1] == 1,
                 "edgeLoss of \(prediction.shape) and \(target.shape); expected two [N, 1, H, W]")
    let sobel = Tensor(shape: [2, 1, 3, 3], scalars: [-1, 0, 1, -2, 0, 2, -1, 0, 1,
                                                      -1, -2, -1, 0, 0, 0, 1, 2, 1])
    func magnitude(_ x: Tensor) -> Tensor {
        let gradients = conv2d(x, weight: sobel, padding: 1)
        return ((gradients * gradients).sum(axes: [1], keepDimensions: true) + 1e-8).sqrt()
    }
    return mseLoss(magnitude(prediction), magnitude(target))
}

/// The weight of the edge term for a batch of input images `[N, 3, H, W]`: 3 for
/// an image whose mean luminance (the mean over channels and pixels, as the seed's
/// `get_dynamic_weights`) is below 0.3, else 1.5, averaged over the batch. Dark
/// images get sharper edges where they matter most.
public func brightnessEdgeWeight(_ images: Tensor) -> Float {
    precondition(images.shape.rank == 4, "brightnessEdgeWeight of \(images.shape)")
    let count = images.shape[0], size = images.scalarCount / max(count, 1)
    let scalars = images.scalars
    let weights = (0..<count).map { index -> Float in
        let mean = scalars[(index * size)..<((index + 1) * size)].reduce(0, +) / Float(size)
        return mean < 0.3 ? 3 : 1.5
    }
    return weights.reduce(0, +) / Float(count)
}

/// Seed 001's matting loss, `mse·MSE + ssim·(1 − SSIM) + w·edge`, where `w` is
/// ``brightnessEdgeWeight(_:)`` of the input batch (or ``fixedEdgeWeight`` when
/// set; 0 leaves the edge term out, the ablation "without the edge term").
public struct MattingObjective: Sendable, Equatable {
    public var mse: Float = 1
    public var ssim: Float = 1
    /// A constant edge weight instead of the brightness-dependent one.
    public var fixedEdgeWeight: Float?

    public init(fixedEdgeWeight: Float? = nil) { self.fixedEdgeWeight = fixedEdgeWeight }

    /// The named, weighted terms for a predicted alpha against the true one
    /// `[N, 1, H, W]`, with `input` the images `[N, 3, H, W]` the prediction was made from.
    public func callAsFunction(prediction: Tensor, target: Tensor, input: Tensor) -> LossTerms {
        var terms = [LossTerm(name: "mse", value: mseLoss(prediction, target), weight: mse),
                     LossTerm(name: "ssim", value: ssimLoss(prediction, target), weight: ssim)]
        let edgeWeight = fixedEdgeWeight ?? brightnessEdgeWeight(input)
        if edgeWeight != 0 { terms.append(LossTerm(name: "edge", value: edgeLoss(prediction, target), weight: edgeWeight)) }
        return LossTerms(terms)
    }
}
