import Foundation
import LumenImaging

/// The scores of one method (or of the unprocessed input) on one image.
public struct EvaluationRecord: Sendable {
    /// The sample's file name.
    public let sample: String
    /// The method's label, or ``EvaluationResults/inputLabel``.
    public let method: String
    /// Seconds the method took on this image; `nil` for the input.
    public let seconds: Double?
    /// The metrics that could be computed, all finite (an undefined value is in ``errors``).
    public let scores: [ImageMetric: Double]
    /// Why other metrics could not, one message each naming the file.
    public let errors: [String]
    /// The enhanced image's path relative to the images folder, when written.
    public let output: String?
}

/// A method's means over the images.
public struct MethodSummary: Sendable, Equatable {
    /// The method's label.
    public let method: String
    /// Images the method was run on.
    public let images: Int
    /// Mean milliseconds per image; `nil` for the input row.
    public let milliseconds: Double?
    /// Each metric's mean over the images where it is defined; absent when none.
    public let means: [ImageMetric: Double]
    /// How many images each mean is over: fewer than ``images`` when the metric
    /// failed or was undefined on some (PSNR of identical images, NIQE of a flat one).
    public let counts: [ImageMetric: Int]
}

/// Everything an evaluation produced, in deterministic order.
public struct EvaluationResults: Sendable {
    /// The label of the unprocessed input's row.
    public static let inputLabel = "input"
    /// The column of the ground truth in the thumbnail grid.
    public static let referenceLabel = "reference"

    /// Row labels: ``inputLabel`` first, then the methods in the order given.
    public let methods: [String]
    /// The metrics, in the order given.
    public let metrics: [ImageMetric]
    /// The images, sorted by name.
    public let samples: [EvaluationSample]
    /// Per image, per method (the input first), in that order.
    public let records: [EvaluationRecord]
    /// Problems that did not stop the evaluation (unreadable or unmatched files), in order.
    public let problems: [String]
    /// JPEG thumbnails per sample name and column (``inputLabel``, ``referenceLabel``, method labels).
    public let thumbnails: [String: [String: Data]]

    /// Every problem: those of the files, then each record's metric errors.
    public var allProblems: [String] { problems + records.flatMap(\.errors) }

    /// One summary per row label, in order.
    public var summaries: [MethodSummary] {
        methods.map { method in
            let rows = records.filter { $0.method == method }
            let times = rows.compactMap(\.seconds)
            var means: [ImageMetric: Double] = [:], counts: [ImageMetric: Int] = [:]
            for metric in metrics {
                let values = rows.compactMap { $0.scores[metric] }
                counts[metric] = values.count
                if !values.isEmpty { means[metric] = values.reduce(0, +) / Double(values.count) }
            }
            return MethodSummary(method: method, images: rows.count,
                                 milliseconds: times.isEmpty ? nil : 1000 * times.reduce(0, +) / Double(times.count),
                                 means: means, counts: counts)
        }
    }
}
