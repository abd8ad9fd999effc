import ArgumentParser
import Dispatch

/// How a benchmark repeats its measurement and prints it, shared by the `lumen
/// bench` subcommands that time one operation.
struct BenchRunOptions: ParsableArguments {
    @Option(help: "Untimed runs before timing.")
    var warmup: Int = 1

    @Option(help: "Timed runs; the median is reported.")
    var repeats: Int = 5

    @Flag(help: "Print JSON lines instead of text.")
    var json = false

    func validate() throws {
        guard warmup >= 0 else { throw ValidationError("--warmup must be at least 0, got \(warmup)") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }

    /// Wall-clock times of ``repeats`` runs of `body` after ``warmup`` untimed ones,
    /// in milliseconds, sorted.
    func timedRuns(_ body: () throws -> Void) rethrows -> [Double] {
        for _ in 0..<warmup { try body() }
        return try (0..<repeats).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }.sorted()
    }
}

/// The median of sorted values (the mean of the middle two for an even count).
func median(ofSorted values: [Double]) -> Double {
    (values[(values.count - 1) / 2] + values[values.count / 2]) / 2
}
