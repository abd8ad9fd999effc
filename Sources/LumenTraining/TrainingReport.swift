import Foundation
import LumenImaging
import LumenIO
import LumenTensor

/// The pictures of a run: per-epoch previews and the loss curve.
enum TrainingReport {
    /// Writes `inputs` (top row) above `outputs` (bottom row) as one PNG.
    /// - Parameters: inputs, outputs: `[N, 3, S, S]` in `[0, 1]`.
    static func writePreview(inputs: Tensor, outputs: Tensor, to url: URL) throws {
        let count = inputs.shape[0]
        let row = withoutGradients { Tensor.concatenated((0..<count).map { inputs.sliced(axis: 0, range: $0 ..< $0 + 1) }, axis: 3) }
        let enhancedRow = withoutGradients { Tensor.concatenated((0..<count).map { outputs.sliced(axis: 0, range: $0 ..< $0 + 1) }, axis: 3) }
        let grid = withoutGradients { Tensor.concatenated([row, enhancedRow], axis: 2) }
        try Image(tensor: grid).write(to: url, format: .png)
    }

    /// Plots the training total and every raw term per step, and the validation
    /// total per epoch, on a logarithmic axis.
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
            series.append(.init(name: "validation total", points: validation.map { (Double($0.globalStep), $0.total) }))
        }
        try LinePlot(title: "loss (log scale): totals weighted, terms raw", xLabel: "step", series: series, logarithmic: true)
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
