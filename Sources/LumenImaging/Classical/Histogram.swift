import LumenTensor

/// Counts of `bin(i)` (in `0 ..< binCount`) over `i` in `0 ..< count`, split over
/// threads; the per-chunk counts are summed in a fixed order.
func histogram(binCount: Int, count: Int, _ bin: (Int) -> Int) -> [Int] {
    let chunkSize = 1 << 20
    let chunks = (count + chunkSize - 1) / chunkSize
    var partial = [Int](repeating: 0, count: max(chunks, 1) * binCount)
    partial.withUnsafeMutableBufferPointer { partial in
        let partial = partial.baseAddress!
        parallelFor(chunks) { range in
            for chunk in range {
                let counts = partial + chunk * binCount
                for index in chunk * chunkSize ..< min(count, (chunk + 1) * chunkSize) {
                    counts[bin(index)] += 1
                }
            }
        }
    }
    return (0..<binCount).map { bin in
        stride(from: bin, to: partial.count, by: binCount).reduce(0) { $0 + partial[$1] }
    }
}
