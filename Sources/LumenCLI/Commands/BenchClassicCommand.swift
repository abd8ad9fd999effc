import ArgumentParser
import Foundation
import LumenImaging
import LumenIO
import LumenTensor

/// `lumen bench classic`: milliseconds per image of the classical methods on one
/// photo. `scripts/bench-classic.sh` runs it beside OpenCV (`bench_classic.py`) on
/// the same images.
struct BenchClassic: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classic",
        abstract: "Time the classical enhancement methods on an image.")

    @Option(help: "The photo to enhance, at the size to measure.")
    var image: String

    @Option(help: "Comma-separated methods (default: all).")
    var methods: String?

    @OptionGroup var runs: BenchRunOptions

    @OptionGroup var runtime: RuntimeOptions

    func run() throws {
        runtime.apply()
        let input = try Image(contentsOf: URL(fileURLWithPath: image)).rgb().tensor()
        let chosen = try methods.map { list in
            try list.split(separator: ",").map { name in
                guard let method = ClassicalMethod(rawValue: String(name)) else {
                    throw ValidationError("unknown method '\(name)'; the methods are \(ClassicalMethod.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return method
            }
        } ?? ClassicalMethod.allCases
        let size = "\(input.shape[3])x\(input.shape[2])"
        for method in chosen {
            let times = runs.timedRuns { _ = method.applied(to: input) }
            let median = median(ofSorted: times)
            if runs.json {
                print(try jsonLine(["kind": "classic", "engine": "lumen", "op": method.rawValue, "size": size,
                                    "threads": Runtime.threadCount, "median_ms": rounded(median, digits: 3),
                                    "min_ms": rounded(times.first!, digits: 3), "n": times.count]))
            } else {
                print("\(method.rawValue) \(size), \(Runtime.threadCount) thread(s): "
                      + String(format: "%.2f ms (median of %d)", median, times.count))
            }
        }
    }
}
