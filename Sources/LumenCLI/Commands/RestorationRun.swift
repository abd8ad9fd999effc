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
    /// What was done, for the summary line: `upscaled`, `denoised`.
    let verb: String
    /// How, for the summary line: `×3 with espcn`.
    let how: String

    /// Restores every job; a file that fails is reported and the others still run.
    /// - Throws: `someInputsFailed` at the end when any did.
    func run() throws {
        try plan.run(verb: verb, how: how) { job, tileProgress in try restore(job, progress: tileProgress) }
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
        let options = RestorationOptions(tileSize: writing.tiles(), bitDepth: writing.bitDepth)
        let color = restorer.restore(image, options: options, progress: progress).image
        let alpha = job.format.storesAlpha ? image.alphaChannel : nil
        let scale = restorer.scaleFactor
        let keptAlpha = alpha.map { scale == 1 ? $0 : $0.resizedLikeMATLAB(width: $0.width * scale, height: $0.height * scale) }
        try (keptAlpha.map { color.addingAlpha($0) } ?? color)
            .write(to: job.output, format: job.format, quality: writing.quality, bitDepth: writing.bitDepth)
    }
}
