import LumenNN
import LumenTensor

/// L1 distance between the Sobel gradients of `prediction` and `target`
/// `[N, C, H, W]`, per channel, over the valid region (no padding): it rewards
/// keeping the edges of the ground truth.
public func gradientLoss(_ prediction: Tensor, _ target: Tensor) -> Tensor {
    precondition(prediction.shape == target.shape && prediction.shape.rank == 4,
                 "gradientLoss of \(prediction.shape) and \(target.shape)")
    precondition(prediction.shape[2] >= 3 && prediction.shape[3] >= 3, "gradientLoss needs H, W >= 3, got \(prediction.shape)")
    let channels = prediction.shape[1]
    let sobel = Tensor(shape: [2, 1, 3, 3], scalars: [-1, 0, 1, -2, 0, 2, -1, 0, 1,
                                                      -1, -2, -1, 0, 0, 0, 1, 2, 1])
    // One x and one y filter per channel (depthwise, two outputs per group).
    let weight = Tensor.concatenated(Array(repeating: sobel, count: channels), axis: 0)
    return l1Loss(conv2d(prediction, weight: weight, groups: channels), conv2d(target, weight: weight, groups: channels))
}

/// Total variation of a map `[N, C, H, W]` (a gain map): the mean absolute
/// difference between vertical neighbours plus that between horizontal ones.
public func totalVariationLoss(_ map: Tensor) -> Tensor {
    precondition(map.shape.rank == 4 && map.shape[2] >= 2 && map.shape[3] >= 2, "totalVariationLoss of \(map.shape)")
    let (height, width) = (map.shape[2], map.shape[3])
    let vertical = map.sliced(axis: 2, range: 1..<height) - map.sliced(axis: 2, range: 0..<(height - 1))
    let horizontal = map.sliced(axis: 3, range: 1..<width) - map.sliced(axis: 3, range: 0..<(width - 1))
    return vertical.abs().mean() + horizontal.abs().mean()
}

/// The weighted objective of supervised enhancement: pixel, structural and edge
/// terms between the prediction and the ground truth, plus smoothness of the
/// predicted gain map when the model has one. Terms with weight 0 are left out.
public struct SupervisedObjective: Sendable, Equatable {
    public var l1: Float = 1
    public var mse: Float = 0
    public var charbonnier: Float = 0
    public var ssim: Float = 0.2
    public var gradient: Float = 0.1
    /// Weight of ``totalVariationLoss(_:)`` on the gain map.
    public var gainSmoothness: Float = 0.01

    public init() {}

    /// The named, weighted terms for `prediction` against `target` `[N, 3, H, W]`.
    /// - Parameter gain: the model's gain map, for the smoothness term; `nil` leaves it out.
    public func callAsFunction(prediction: Tensor, target: Tensor, gain: Tensor? = nil) -> LossTerms {
        var terms: [LossTerm] = []
        func add(_ name: String, _ weight: Float, _ value: @autoclosure () -> Tensor) {
            if weight != 0 { terms.append(LossTerm(name: name, value: value(), weight: weight)) }
        }
        add("l1", l1, l1Loss(prediction, target))
        add("mse", mse, mseLoss(prediction, target))
        add("charbonnier", charbonnier, charbonnierLoss(prediction, target))
        add("ssim", ssim, ssimLoss(prediction, target))
        add("gradient", gradient, gradientLoss(prediction, target))
        if let gain { add("gain-smoothness", gainSmoothness, totalVariationLoss(gain)) }
        return LossTerms(terms)
    }
}
