import LumenTensor
import Testing

/// Expects `actual` to match `expected` element-wise within `tolerance`
/// (absolute, scaled by `max(1, |expected|)`).
func expectClose(_ actual: [Float], _ expected: [Double], tolerance: Double = 1e-6,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        #expect(Swift.abs(Double(a) - e) <= tolerance * Swift.max(1, Swift.abs(e)),
                "element \(index): \(a), expected \(e)", sourceLocation: sourceLocation)
    }
}
