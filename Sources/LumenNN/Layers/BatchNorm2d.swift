import LumenTensor

/// Batch normalisation over `[N, C, H, W]`, as PyTorch's `nn.BatchNorm2d`.
///
/// Training mode normalises each channel with the batch's mean and biased
/// variance over `N, H, W` and updates the running statistics in place:
/// `running = (1 − momentum)·running + momentum·batch`, with the *unbiased*
/// batch variance (PyTorch's convention). Evaluation mode (``Module/eval()``)
/// normalises with the running statistics. Then `y = x̂·weight + bias` when affine.
public final class BatchNorm2d: Module, UnaryLayer, @unchecked Sendable {
    /// `[C]` scale, ones initially; `nil` without affine parameters.
    public let weight: Tensor?
    /// `[C]` shift, zeros initially; `nil` without affine parameters.
    public let bias: Tensor?
    /// `[C]` running mean, zeros initially.
    public let runningMean: Buffer
    /// `[C]` running (unbiased) variance, ones initially.
    public let runningVariance: Buffer
    /// Weight of the current batch in the running-statistics update.
    public let momentum: Float
    /// Added to the variance before the square root.
    public let epsilon: Float

    /// Creates a batch-norm layer for `featureCount` channels.
    /// - Parameters:
    ///   - featureCount: the channel count `C`.
    ///   - epsilon: added to the variance, `1e-5` as in PyTorch.
    ///   - momentum: running-statistics update weight, `0.1` as in PyTorch.
    ///   - affine: whether to learn a per-channel scale and shift.
    public init(featureCount: Int, epsilon: Float = 1e-5, momentum: Float = 0.1, affine: Bool = true) {
        weight = affine ? Tensor(repeating: 1, shape: [featureCount]).trainable() : nil
        bias = affine ? Tensor(zeros: [featureCount]).trainable() : nil
        runningMean = Buffer(Tensor(zeros: [featureCount]))
        runningVariance = Buffer(Tensor(repeating: 1, shape: [featureCount]))
        self.momentum = momentum
        self.epsilon = epsilon
    }

    /// Normalises `x` `[N, C, H, W]`; in training mode also updates the running statistics.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.shape.rank == 4 && x.shape[1] == runningMean.value.scalarCount,
                     "BatchNorm2d(\(runningMean.value.scalarCount)) applied to \(x.shape)")
        return x.batchNormalized(runningMean: runningMean.value, runningVariance: runningVariance.value,
                                 weight: weight, bias: bias, training: isTraining,
                                 momentum: momentum, epsilon: epsilon)
    }
}
