import LumenNN
import LumenTensor

/// What a GAN user needs to be told: that the discriminator wins outright (every
/// real and generated image classified correctly, step after step, so the
/// generator stops making progress), or that the generated images stopped varying
/// across the batch while the inputs still vary (mode collapse).
///
/// Winning is judged by accuracy, not by the loss being near 0: a perfectly
/// separating LSGAN discriminator still has a loss around 0.2 (a run that never
/// brightened showed exactly that), and a WGAN critic's loss has no floor.
///
/// Each condition must hold for ``patience`` consecutive steps; each warning is
/// repeated at most every ``repeatInterval`` steps.
public final class GANMonitor: @unchecked Sendable {
    /// Consecutive steps a condition must hold.
    public let patience: Int
    /// Steps between two warnings of the same kind.
    public let repeatInterval: Int
    private var step = 0
    private var winningSteps = 0, collapsedSteps = 0
    private var lastWarned: [String: Int] = [:]
    private var pending: [String] = []

    public init(patience: Int = 25, repeatInterval: Int = 500) {
        self.patience = patience
        self.repeatInterval = repeatInterval
    }

    /// Records one step: the discriminator's loss and accuracy, and a batch of
    /// generated images beside the inputs they came from.
    public func record(discriminatorLoss: Float, accuracy: (real: Double, fake: Double),
                generated: Tensor, input: Tensor) {
        step += 1
        winningSteps = accuracy.real >= 0.99 && accuracy.fake >= 0.99 ? winningSteps + 1 : 0
        if winningSteps >= patience {
            warn("winning", String(format: "the discriminator wins outright (loss %.4f, accuracy %.2f on real and %.2f on generated "
                + "images for %d steps): the generator learns little; lower --d-lr-ratio or --d-steps, or raise --adversarial-weight",
                discriminatorLoss,
                accuracy.real, accuracy.fake, winningSteps))
        }
        if generated.shape[0] > 1 && generated.shape == input.shape {
            let spread = batchSpread(generated), inputSpread = batchSpread(input)
            collapsedSteps = inputSpread > 1e-4 && spread < 0.05 * inputSpread ? collapsedSteps + 1 : 0
            if collapsedSteps >= patience {
                warn("collapse", String(format: "the generated images stopped varying across the batch (spread %.5f against the "
                    + "inputs' %.5f for %d steps): mode collapse", spread, inputSpread, collapsedSteps))
            }
        }
    }

    /// The mean over pixels of the variance across the batch.
    private func batchSpread(_ images: Tensor) -> Float {
        withoutGradients { images.variance(axes: [0]).mean().scalar }
    }

    private func warn(_ kind: String, _ message: String) {
        if let last = lastWarned[kind], step - last < repeatInterval { return }
        lastWarned[kind] = step
        pending.append(message)
    }

    /// The warnings since the last call.
    public func takeWarnings() -> [String] {
        defer { pending = [] }
        return pending
    }
}
