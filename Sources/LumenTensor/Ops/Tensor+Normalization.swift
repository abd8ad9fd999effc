/// Batch and instance normalisation over `[N, C, H, W]` (or `[N, C]`) inputs.
extension Tensor {
    /// Batch normalisation, as PyTorch's `F.batch_norm`.
    ///
    /// In training mode it normalises with the batch's statistics over every axis
    /// but the channel axis 1 (biased variance) and updates the running statistics
    /// in place with `momentum`, using the unbiased variance as PyTorch does. In
    /// evaluation mode it uses the running statistics.
    /// - Parameters:
    ///   - runningMean, runningVariance: `[C]`.
    ///   - weight, bias: `[C]` affine parameters, or `nil`.
    public func batchNormalized(
        runningMean: Tensor, runningVariance: Tensor, weight: Tensor?, bias: Tensor?,
        training: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5
    ) -> Tensor {
        precondition(shape.rank >= 2, "batch norm needs [N, C, ...], got \(shape)")
        let channels = shape[1]
        precondition(runningMean.shape == [channels] && runningVariance.shape == [channels],
                     "batch norm statistics \(runningMean.shape) for \(channels) channels")
        let input = self
        let axes = [0] + Array(2..<shape.rank)
        let count = axes.reduce(1) { $0 * shape[$1] }
        var statsShape = [Int](repeating: 1, count: shape.rank)
        statsShape[1] = channels
        let broadcastShape = Shape(statsShape)

        let (normalized, inverseStd): (Tensor, Tensor) = withoutGradients {
            let mean: Tensor, variance: Tensor
            if training {
                mean = input.mean(axes: axes, keepDimensions: true)
                variance = input.variance(axes: axes, keepDimensions: true)
                let unbiased = variance * (Float(count) / Float(Swift.max(count - 1, 1)))
                runningMean.assign(runningMean * (1 - momentum) + mean.reshaped([channels]) * momentum)
                runningVariance.assign(runningVariance * (1 - momentum) + unbiased.reshaped([channels]) * momentum)
            } else {
                mean = runningMean.reshaped(broadcastShape)
                variance = runningVariance.reshaped(broadcastShape)
            }
            let inverseStd = 1 / (variance + epsilon).sqrt()
            return ((input - mean) * inverseStd, inverseStd)
        }
        let output = withoutGradients { () -> Tensor in
            var y = normalized
            if let weight { y = y * weight.reshaped(broadcastShape) }
            if let bias { y = y + bias.reshaped(broadcastShape) }
            return y
        }
        return output.recorded(.batchNorm, inputs: [input] + [weight, bias].compactMap { $0 }) { g in
            let scaled = weight.map { g * $0.reshaped(broadcastShape) } ?? g
            let inputGradient: Tensor
            if training {
                let meanScaled = scaled.mean(axes: axes, keepDimensions: true)
                let meanProjection = (scaled * normalized).mean(axes: axes, keepDimensions: true)
                inputGradient = (scaled - meanScaled - normalized * meanProjection) * inverseStd
            } else {
                inputGradient = scaled * inverseStd
            }
            var gradients: [Tensor?] = [inputGradient]
            if let weight { gradients.append((g * normalized).sum(axes: axes).reshaped(weight.shape)) }
            if let bias { gradients.append(g.sum(axes: axes).reshaped(bias.shape)) }
            return gradients
        }
    }

    /// Instance normalisation: each `(n, c)` plane normalised by its own mean and
    /// biased variance, then an optional per-channel affine map. Composed of
    /// differentiable primitives.
    public func instanceNormalized(weight: Tensor? = nil, bias: Tensor? = nil, epsilon: Float = 1e-5) -> Tensor {
        precondition(shape.rank == 4, "instance norm needs [N, C, H, W], got \(shape)")
        let mean = self.mean(axes: [2, 3], keepDimensions: true)
        let variance = self.variance(axes: [2, 3], keepDimensions: true)
        var y = (self - mean) / (variance + epsilon).sqrt()
        let channelShape: Shape = [1, shape[1], 1, 1]
        if let weight { y = y * weight.reshaped(channelShape) }
        if let bias { y = y + bias.reshaped(channelShape) }
        return y
    }
}
