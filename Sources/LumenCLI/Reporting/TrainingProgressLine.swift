import Foundation
import LumenTraining

/// Training progress on standard error: epoch, step, loss, images/s and ETA.
/// The rate counts from the first reported step, so start-up time is left out.
final class TrainingProgressLine {
    private var bar: ProgressBar?

    func update(_ progress: TrainingProgress) {
        if bar == nil { bar = ProgressBar(total: progress.totalSteps, unit: "steps", startingAt: progress.globalStep) }
        bar?.update(done: progress.globalStep, detail: String(
            format: "epoch %d/%d  batch %d/%d  loss %.5f  %.1f img/s",
            progress.epoch + 1, progress.epochs, progress.batch, progress.batchesPerEpoch, progress.loss, progress.imagesPerSecond))
    }
}
