import Foundation
import Lumen
import LumenImaging
import LumenIO

/// The loop `lumen upscale` and `lumen denoise` share: every planned image through
/// one restorer, with progress (images and tiles), per-file errors and atomic writes.
struct RestorationRun {
    let plan: EnhancePlan
    let restorer: any ImageRestorer
    let writing: ImageOutputOptions
    /// What was done, for the summary line: `upscaled ×3 with espcn`.
    let summary: String

    /// Restores every job; a file that fails is reported and the others still run.
    /// - Throws: `someInputsFailed` at the end when any did.
    func run() throws {
        let progress = ProgressBar(total: plan.jobs.count, unit: "images")
        let start = Date()
        var failures = plan.missingInputs.count
        for path in plan.missingInputs { printError(LumenCLIError.missingInput(path).localizedDescription) }
        for (index, job) in plan.jobs.enumerated() {
            do {
                try restore(job) { done, tiles in
                    if tiles > 1 { progress.update(done: index, detail: "\(job.input.lastPathComponent) tile \(done)/\(tiles)") }
                }
            } catch {
                failures += 1
                printError(describe(error))
            }
            progress.update(done: index + 1, detail: job.input.lastPathComponent)
        }
        let elapsed = Date().timeIntervalSince(start)
        let total = plan.jobs.count + plan.missingInputs.count, succeeded = total - failures
        print("\(summary): \(succeeded) of \(total) images in "
              + String(format: "%.2f s (%.2f images/s)", elapsed, Double(succeeded) / max(elapsed, 1e-9)))
        if failures > 0 { throw LumenCLIError.someInputsFailed(failed: failures, total: total) }
    }

    /// Restores the colour; alpha is carried over, enlarged with the MATLAB-style
    /// bicubic resize when the image grows.
    private func restore(_ job: EnhancePlan.Job, progress: (Int, Int) -> Void) throws {
        let image = try Image(contentsOf: job.input)
        guard job.format.storesAlpha || image.isOpaque else {
            throw LumenCLIError.alphaNotStorable(job.input.relativePath, format: job.format)
        }
        if let problem = restorer.sizeProblem(height: image.height, width: image.width) {
            throw LumenCLIError.cannotProcess(file: job.input.relativePath, reason: problem)
        }
        let options = RestorationOptions(tileSize: writing.tileSize, bitDepth: writing.bitDepth)
        let color = restorer.restore(image, options: options, progress: progress).image
        let alpha = job.format.storesAlpha ? image.alphaChannel : nil
        let scale = restorer.scaleFactor
        let keptAlpha = alpha.map { scale == 1 ? $0 : $0.resizedLikeMATLAB(width: $0.width * scale, height: $0.height * scale) }
        try (keptAlpha.map { color.addingAlpha($0) } ?? color)
            .write(to: job.output, format: job.format, quality: writing.quality, bitDepth: writing.bitDepth)
    }
}
