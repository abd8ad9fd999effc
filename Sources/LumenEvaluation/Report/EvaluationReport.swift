import Foundation
import LumenImaging
import LumenIO

/// Writes an evaluation's report folder:
///
/// - `summary.csv`, `summary.json`, `summary.md`: each metric's mean and the
///   runtime per method (``SummaryTable``);
/// - `per-image.csv`: every score of every method on every image;
/// - `report.html`: the self-contained page (``HTMLReport``);
/// - `charts/METRIC.svg`: one bar chart per metric;
/// - `problems.txt`: what could not be evaluated, when anything could not.
///
/// The enhanced images go to `images/METHOD/` while the evaluation runs
/// (``Evaluation/run(_:imagesFolder:progress:)``). Every file is written atomically.
public enum EvaluationReport {
    /// The file names written, relative to the folder.
    public static let files = ["summary.csv", "summary.json", "summary.md", "per-image.csv", "report.html"]

    /// Writes the report into `folder` (created if needed).
    /// - Throws: the first write error, naming the file.
    public static func write(_ results: EvaluationResults, to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("charts"), withIntermediateDirectories: true)
        let table = SummaryTable(results)
        let texts: [(String, String)] = [
            ("summary.csv", table.csv), ("summary.json", table.json), ("summary.md", table.markdown),
            ("per-image.csv", perImageCSV(results)), ("report.html", HTMLReport(results).html),
        ] + results.metrics.map { ("charts/\($0.rawValue).svg", HTMLReport.chart($0, of: results).svg()) }
            + (results.allProblems.isEmpty ? [] : [("problems.txt", results.allProblems.joined(separator: "\n") + "\n")])
        for (name, text) in texts {
            try AtomicFile.write(Data(text.utf8), to: folder.appendingPathComponent(name))
        }
    }

    /// One line per image and row label (the input first): runtime and every metric.
    static func perImageCSV(_ results: EvaluationResults) -> String {
        let head = ["image", "method", "ms"] + results.metrics.map(\.rawValue)
        let body = results.records.map { record in
            [SummaryTable.csvField(record.sample), SummaryTable.csvField(record.method),
             record.seconds.map { "\($0 * 1000)" } ?? ""] + results.metrics.map { record.scores[$0].map { "\($0)" } ?? "" }
        }
        return ([head] + body).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
