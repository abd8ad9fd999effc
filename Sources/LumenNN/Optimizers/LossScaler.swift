import LumenTensor

/// Dynamic loss scaling for mixed-precision training, as PyTorch's `GradScaler`:
/// the loss is multiplied by ``scale`` before the backward pass, so that small
/// gradients keep their digits, and the gradients are divided by it again before
/// clipping and the optimiser step.
///
/// A step whose gradients are not all finite numbers is skipped (no update, the
/// gradients cleared) and the scale halved; after ``growthInterval`` good steps
/// in a row the scale doubles. The state (scale, good steps, skipped steps) is
/// saved with the training checkpoint, so a resumed run scales exactly as the
/// uninterrupted one.
///
/// ```swift
/// var scaler = LossScaler(scale: 65536, growthInterval: 2000)
/// optimizer.zeroGradients()
/// if scaler.backward(loss, parameters: parameters) { optimizer.step() }
/// ```
public struct LossScaler: Sendable, Equatable {
    /// The factor the loss is multiplied by; 1 and never changing when disabled.
    public private(set) var scale: Float
    /// Good steps since the scale last changed.
    public private(set) var goodSteps: Int
    /// Steps skipped for gradients that were not finite, in all.
    public private(set) var skippedSteps: Int
    /// Good steps in a row after which the scale doubles; 0 when scaling is disabled.
    public let growthInterval: Int

    /// Plain float32 training: backward of the loss as it is, every step taken.
    public static let disabled = LossScaler(scale: 1, goodSteps: 0, skippedSteps: 0, growthInterval: 0)

    /// The defaults of PyTorch's `GradScaler`: 2^16, doubling after 2000 good steps.
    public static let standard = LossScaler(scale: 65536, growthInterval: 2000)

    /// - Parameters:
    ///   - scale: the initial scale, a positive power of two.
    ///   - growthInterval: good steps in a row before the scale doubles, positive.
    public init(scale: Float, growthInterval: Int) {
        precondition(scale > 0 && scale.isFinite && growthInterval > 0, "loss scale \(scale), growth interval \(growthInterval)")
        self.init(scale: scale, goodSteps: 0, skippedSteps: 0, growthInterval: growthInterval)
    }

    private init(scale: Float, goodSteps: Int, skippedSteps: Int, growthInterval: Int) {
        (self.scale, self.goodSteps, self.skippedSteps, self.growthInterval) = (scale, goodSteps, skippedSteps, growthInterval)
    }

    /// Whether the loss is scaled (mixed precision) rather than back-propagated as it is.
    public var isEnabled: Bool { growthInterval > 0 }

    /// Back-propagates `loss` (a scalar) times the scale into the gradients of
    /// `parameters`, then divides them by the scale.
    /// - Returns: whether the step should be taken: false (and the gradients of
    ///   `parameters` cleared, the scale halved) when a gradient is not finite.
    public mutating func backward(_ loss: Tensor, parameters: [Tensor]) -> Bool {
        guard isEnabled else {
            loss.backward()
            return true
        }
        loss.backward(seed: Tensor(repeating: scale, shape: loss.shape))
        let inverse = 1 / scale
        var finite = true
        for parameter in parameters {
            guard let gradient = parameter.gradient else { continue }
            // A new tensor rather than in place: a gradient may share its storage with another.
            parameter.setGradient(gradient.withUnsafeBufferPointer { scaled in
                Tensor(shape: gradient.shape) { unscaled in
                    for index in scaled.indices {
                        unscaled[index] = scaled[index] * inverse
                        if !unscaled[index].isFinite { finite = false }
                    }
                }
            })
        }
        guard finite else {
            for parameter in parameters { parameter.zeroGradient() }
            scale = max(scale / 2, Float.leastNormalMagnitude)
            goodSteps = 0
            skippedSteps += 1
            return false
        }
        goodSteps += 1
        if goodSteps >= growthInterval {
            if (scale * 2).isFinite { scale *= 2 }
            goodSteps = 0
        }
        return true
    }

    /// The state to checkpoint: `scale`, `good_steps`, `skipped_steps` and
    /// `growth_interval`, each a one-element tensor (integers below 2^24 are exact).
    public func state() -> StateDict {
        ["scale": Tensor(scale), "good_steps": Tensor(Float(goodSteps)),
         "skipped_steps": Tensor(Float(skippedSteps)), "growth_interval": Tensor(Float(growthInterval))]
    }

    /// The scaler saved by ``state()``, or `nil` when `state` does not hold one.
    public init?(state: StateDict) {
        guard let scale = state["scale"]?.scalars.first, let good = state["good_steps"]?.scalars.first,
              let skipped = state["skipped_steps"]?.scalars.first, let interval = state["growth_interval"]?.scalars.first,
              scale > 0, scale.isFinite, good >= 0, skipped >= 0, interval >= 1,
              good < 16_777_216, skipped < 16_777_216, interval < 16_777_216 else { return nil }
        self.init(scale: scale, goodSteps: Int(good), skippedSteps: Int(skipped), growthInterval: Int(interval))
    }
}
