import Foundation
import LumenImaging

/// The summary of an evaluation as a table: one row per method (the input first),
/// columns for the image count, milliseconds per image and each metric's mean;
/// rendered for the terminal, CSV, Markdown and JSON.
public struct SummaryTable: Sendable {
    /// The header cells.
    public let header: [String]
    /// The body cells, formatted; `–` where a value is missing, and the count in
    /// brackets where a mean is over fewer images than the method ran on: `12.34 (9/10)`.
    public let rows: [[String]]
    private let summaries: [MethodSummary]
    private let metrics: [ImageMetric]

    public init(_ results: EvaluationResults) {
        let (summaries, metrics) = (results.summaries, results.metrics)
        (self.summaries, self.metrics) = (summaries, metrics)
        header = ["method", "images", "ms/image"] + metrics.map { "\($0.displayName) \($0.higherIsBetter ? "↑" : "↓")" }
        rows = summaries.map { summary in
            [summary.method, "\(summary.images)", summary.milliseconds.map { String(format: "%.1f", $0) } ?? "–"]
                + metrics.map { metric in
                    guard let mean = summary.means[metric] else { return "–" }
                    let count = summary.counts[metric] ?? summary.images
                    return Self.format(mean, metric) + (count < summary.images ? " (\(count)/\(summary.images))" : "")
                }
        }
    }

    /// Columns padded to equal width, numbers right-aligned.
    public var terminalText: String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line))
            .joined(separator: "\n") + "\n"
    }

    /// A GitHub-flavoured Markdown table.
    public var markdown: String {
        let alignment = ["---"] + Array(repeating: "--:", count: header.count - 1)
        return ([header, alignment] + rows).map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n") + "\n"
    }

    /// CSV with metric names as column keys and unrounded values (empty where missing).
    public var csv: String {
        let head = ["method", "images", "ms_per_image"] + metrics.map(\.rawValue)
        let body = summaries.map { summary in
            [Self.csvField(summary.method), "\(summary.images)", summary.milliseconds.map { "\($0)" } ?? ""]
                + metrics.map { summary.means[$0].map { "\($0)" } ?? "" }
        }
        return ([head] + body).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// JSON: `{"metrics": [...], "methods": [{"method", "images", "ms_per_image", "means": {...},
    /// "counts": {...}}]}`, keys sorted, unrounded values, missing values left out;
    /// `counts` says how many images each mean is over.
    public var json: String {
        let methods: [[String: Any]] = summaries.map { summary in
            var entry: [String: Any] = ["method": summary.method, "images": summary.images,
                                        "means": Dictionary(uniqueKeysWithValues: summary.means.map { ($0.key.rawValue, $0.value) }),
                                        "counts": Dictionary(uniqueKeysWithValues: summary.counts.map { ($0.key.rawValue, $0.value) })]
            if let milliseconds = summary.milliseconds { entry["ms_per_image"] = milliseconds }
            return entry
        }
        let object: [String: Any] = ["metrics": metrics.map(\.rawValue), "methods": methods]
        // Every number here is finite (undefined values never reach a summary), so this cannot fail.
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A value with the precision the metric is usually quoted at.
    static func format(_ value: Double, _ metric: ImageMetric) -> String {
        switch metric {
        case .psnr, .psnrY, .niqe, .brisque, .entropy, .colorfulness: String(format: "%.2f", value)
        case .loe: String(format: "%.1f", value)
        case .ssim, .ssimY, .msSSIM, .uiqm, .uciqe, .exposureError, .colorError: String(format: "%.4f", value)
        }
    }

    /// A CSV field, quoted when it holds a comma, quote or newline.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { ",\"\n".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
