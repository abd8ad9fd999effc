import ArgumentParser
import Foundation
import LumenImaging
import LumenIO
import LumenTensor

/// `lumen bench metrics`: milliseconds per image of each quality metric, scoring a
/// photo against a gamma-brightened copy of itself (so the full-reference metrics
/// compare two different images of the same size).
struct BenchMetrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Time the image-quality metrics on an image.")

    @Option(help: "The photo to score, at the size to measure.")
    var image: String

    @OptionGroup var runs: BenchRunOptions

    @OptionGroup var runtime: RuntimeOptions

    func run() throws {
        runtime.apply()
        let photo = try Image(contentsOf: URL(fileURLWithPath: image)).rgb().tensor()
        let other = ClassicalMethod.gamma.applied(to: photo)
        let size = "\(photo.shape[3])x\(photo.shape[2])"
        for metric in ImageMetric.allCases {
            var failure: Error?
            let times = runs.timedRuns {
                do { _ = try metric.measure(other, input: photo, reference: photo) } catch { failure = error }
            }
            if let failure { throw ValidationError("\(image): \(failure.localizedDescription)") }
            let median = median(ofSorted: times)
            if runs.json {
                print(try jsonLine(["kind": "metric", "engine": "lumen", "metric": metric.rawValue, "size": size,
                                    "threads": Runtime.threadCount, "median_ms": rounded(median, digits: 3), "n": times.count]))
            } else {
                print("\(metric.rawValue) \(size), \(Runtime.threadCount) thread(s): "
                      + String(format: "%.2f ms (median of %d)", median, times.count))
            }
        }
    }
}
