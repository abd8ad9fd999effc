import Foundation
import LumenImaging
import LumenIO
import LumenTensor

/// The pictures of a run: per-epoch previews and the loss curve.
enum TrainingReport {
    /// Writes the inputs (top row) above their enhanced versions and, for pairs,
    /// the targets (bottom row), as one PNG. Rows smaller than the largest (the
    /// low-resolution inputs of super-resolution) are enlarged by pixel repetition,
    /// and gray rows shown as gray.
    /// - Parameters: previews, outputs: `[N, C, S, S]` in `[0, 1]`, C 1 or 3.
    static func writePreview(_ previews: TrainingBatch, outputs: Tensor, to url: URL) throws {
        let grid = withoutGradients {
            let rows = ([previews.input, outputs] + (previews.target.map { [$0] } ?? [])).map { row in
                row.shape[1] == 1 ? Tensor.concatenated([row, row, row], axis: 1) : row
            }
            let height = rows.map { $0.shape[2] }.max()!, width = rows.map { $0.shape[3] }.max()!
            return Tensor.concatenated(rows.map { $0.resizedNearest(height: height, width: width) }.map { row in
                Tensor.concatenated((0..<row.shape[0]).map { row.sliced(axis: 0, range: $0 ..< $0 + 1) }, axis: 3)
            }, axis: 2)
        }
        try Image(tensor: grid).write(to: url, format: .png)
    }

    /// Plots the training total and every raw term per step, and the validation
    /// total per epoch, on a logarithmic axis; on a linear one when some value is
    /// not positive (a WGAN critic's scores), which a logarithm would drop.
    static func writeLossCurve(records: [LossRecord], to url: URL) throws {
        let training = records.filter { $0.phase == "train" }
        var series = [LinePlot.Series(name: "total", points: smoothed(training.map { (Double($0.globalStep), $0.total) }))]
        for name in Set(training.flatMap { $0.terms.keys }).sorted() {
            series.append(.init(name: name, points: smoothed(training.compactMap { record in
                record.terms[name].map { (Double(record.globalStep), $0) }
            })))
        }
        let validation = records.filter { $0.phase == "validation" }
        if !validation.isEmpty {
            // Supervised validation reports the L1 of whole images, with PSNR and SSIM as metrics.
            let name = validation.contains { $0.metrics != nil } ? "validation l1" : "validation total"
            series.append(.init(name: name, points: validation.map { (Double($0.globalStep), $0.total) }))
        }
        let logarithmic = series.allSatisfy { $0.points.allSatisfy { $0.y > 0 } }
        try LinePlot(title: logarithmic ? "loss (log scale): totals weighted, terms raw" : "loss: totals weighted, terms raw",
                     xLabel: "step", series: series, logarithmic: logarithmic)
            .render().write(to: url, format: .png)
    }

    /// Plots the validation PSNR per epoch.
    static func writeValidationCurve(records: [LossRecord], to url: URL) throws {
        let points = records.filter { $0.phase == "validation" }.compactMap { record in
            record.metrics?["psnr"].map { (x: Double(record.epoch + 1), y: $0) }
        }
        try LinePlot(title: "validation PSNR (dB)", xLabel: "epoch", series: [.init(name: "PSNR", points: points)])
            .render().write(to: url, format: .png)
    }

    /// A running mean over a window of about 2% of the points, so the curve is readable.
    static func smoothed(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        let window = max(1, points.count / 50)
        guard window > 1 else { return points }
        return points.indices.map { i in
            let range = max(0, i - window + 1)...i
            return (points[i].x, range.reduce(0) { $0 + points[$1].y } / Double(range.count))
        }
    }
}
