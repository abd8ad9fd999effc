import Foundation
import LumenTraining

/// Training progress on standard error: epoch, step, loss, images/s and ETA, and
/// a line per epoch with its validation result. The rate counts from the first
/// reported step, so start-up time is left out.
final class TrainingProgressLine {
    private var bar: ProgressBar?

    func update(_ progress: TrainingProgress) {
        if bar == nil { bar = ProgressBar(total: progress.totalSteps, unit: "steps", startingAt: progress.globalStep) }
        bar?.update(done: progress.globalStep, detail: String(
            format: "epoch %d/%d  batch %d/%d  loss %.5f  %.1f img/s",
            progress.epoch + 1, progress.epochs, progress.batch, progress.batchesPerEpoch, progress.loss, progress.imagesPerSecond))
    }

    /// Prints the epoch's validation result on its own line.
    func epochFinished(_ summary: EpochSummary) {
        var line = "epoch \(summary.epoch)/\(summary.epochs) done"
        if let psnr = summary.psnr, let ssim = summary.ssim {
            line += String(format: ": validation PSNR %.2f dB, SSIM %.4f", psnr, ssim)
        } else if let loss = summary.validationLoss {
            line += String(format: ": validation loss %.5f", loss)
        }
        let interactive = isatty(FileHandle.standardError.fileDescriptor) != 0
        printError((interactive ? "\r\u{1B}[K" : "") + line)
    }
}
