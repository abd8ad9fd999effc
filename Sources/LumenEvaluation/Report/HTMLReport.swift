import Foundation
import LumenImaging

/// A self-contained HTML page of an evaluation: the summary table, one bar chart
/// per metric (inline SVG) and a grid of thumbnails (inline JPEG) with each
/// image's scores, so the file can be mailed or archived on its own.
public struct HTMLReport: Sendable {
    let results: EvaluationResults
    let title: String

    public init(_ results: EvaluationResults, title: String = "Lumen evaluation") {
        self.results = results
        self.title = title
    }

    /// The bar chart of `metric`'s means, one bar per row of the summary that has a value.
    public static func chart(_ metric: ImageMetric, of results: EvaluationResults) -> BarChart {
        let bars = results.summaries.compactMap { summary in
            summary.means[metric].map { BarChart.Bar(label: summary.method, value: $0) }
        }
        return BarChart(title: metric.displayName, bars: bars,
                        note: metric.higherIsBetter ? "mean over images; higher is better" : "mean over images; lower is better")
    }

    /// The page.
    public var html: String {
        let table = SummaryTable(results)
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escaped(title))</title>
            <style>
            body { font-family: sans-serif; margin: 24px; color: #222; }
            table { border-collapse: collapse; margin-bottom: 24px; }
            th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            .charts { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 24px; }
            .grid th, .grid td { vertical-align: top; text-align: center; font-size: 11px; }
            .grid th { font-size: 14px; }
            .grid img { display: block; margin: 0 auto 4px; max-width: 240px; }
            .problems { color: #a00; }
            </style></head><body>
            <h1>\(escaped(title))</h1>
            <p>\(results.samples.count) images, \(results.methods.count - 1) methods. Means over the images where a
            metric could be computed; ↑ higher is better, ↓ lower is better; the best mean of each metric is in bold.</p>
            <h2>Summary</h2>
            <table><tr>\(table.header.map { "<th>\(escaped($0))</th>" }.joined())</tr>

            """
        let best = bestRows
        for (index, row) in table.rows.enumerated() {
            page += "<tr>" + row.enumerated().map { column, cell in
                let metricColumn = column - 3
                let isBest = metricColumn >= 0 && best[results.metrics[metricColumn]] == index
                return isBest ? "<td><b>\(escaped(cell))</b></td>" : "<td>\(escaped(cell))</td>"
            }.joined() + "</tr>\n"
        }
        page += "</table>\n<h2>Charts</h2>\n<div class=\"charts\">\n"
        for metric in results.metrics { page += Self.chart(metric, of: results).svg() }
        page += "</div>\n<h2>Images</h2>\n" + grid
        let problems = results.allProblems
        if !problems.isEmpty {
            page += "<h2>Problems</h2>\n<ul class=\"problems\">\n"
                + problems.map { "<li>\(escaped($0))</li>\n" }.joined() + "</ul>\n"
        }
        return page + "</body></html>\n"
    }

    /// For each metric, the method's summary row (by index; the unprocessed input
    /// is not a candidate) with the best mean: shown in bold.
    private var bestRows: [ImageMetric: Int] {
        var best: [ImageMetric: Int] = [:]
        let summaries = results.summaries
        for metric in results.metrics {
            let candidates = summaries.indices.dropFirst().compactMap { index in summaries[index].means[metric].map { (index, $0) } }
            let chosen = metric.higherIsBetter ? candidates.max { $0.1 < $1.1 } : candidates.min { $0.1 < $1.1 }
            best[metric] = chosen?.0
        }
        return best
    }

    /// One row per image: the input, the reference when there is one, then each method.
    private var grid: String {
        let hasReference = results.samples.contains { results.thumbnails[$0.name]?[EvaluationResults.referenceLabel] != nil }
        let columns = [EvaluationResults.inputLabel] + (hasReference ? [EvaluationResults.referenceLabel] : [])
            + results.methods.dropFirst()
        var html = "<table class=\"grid\"><tr><th>image</th>" + columns.map { "<th>\(escaped($0))</th>" }.joined() + "</tr>\n"
        for sample in results.samples {
            html += "<tr><td>\(escaped(sample.name))</td>"
            for column in columns {
                html += "<td>"
                if let jpeg = results.thumbnails[sample.name]?[column] {
                    html += "<img alt=\"\(escaped(column)) \(escaped(sample.name))\" src=\"data:image/jpeg;base64,\(jpeg.base64EncodedString())\">"
                }
                if let record = results.records.first(where: { $0.sample == sample.name && $0.method == column }) {
                    html += results.metrics.compactMap { metric in
                        record.scores[metric].map { "\(escaped(metric.displayName)) \(SummaryTable.format($0, metric))" }
                    }.joined(separator: "<br>")
                }
                html += "</td>"
            }
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }

    private func escaped(_ text: String) -> String { BarChart.escaped(text) }
}
