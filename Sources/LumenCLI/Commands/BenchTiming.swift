import Dispatch

/// Wall-clock times of `repeats` runs of `body` after `warmup` untimed ones, in
/// milliseconds, sorted.
func timedRuns(warmup: Int, repeats: Int, _ body: () -> Void) -> [Double] {
    for _ in 0..<warmup { body() }
    return (0..<repeats).map { _ in
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }.sorted()
}

/// The median of sorted values (the mean of the middle two for an even count).
func median(ofSorted values: [Double]) -> Double {
    (values[(values.count - 1) / 2] + values[values.count / 2]) / 2
}
