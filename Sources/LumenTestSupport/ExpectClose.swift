import LumenTensor

/// The largest absolute element-wise difference between two equally long arrays.
public func maxAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "comparing \(a.count) values with \(b.count)")
    var largest: Float = 0
    for (x, y) in zip(a, b) {
        let difference = Swift.abs(x - y)
        if difference.isNaN { return .nan }
        largest = Swift.max(largest, difference)
    }
    return largest
}

/// Whether `a` and `b` have the same shape and agree within `atol + rtol·|b|` everywhere.
public func isClose(_ a: Tensor, _ b: Tensor, atol: Float = 1e-5, rtol: Float = 1e-5) -> Bool {
    guard a.shape == b.shape else { return false }
    return zip(a.scalars, b.scalars).allSatisfy { x, y in Swift.abs(x - y) <= atol + rtol * Swift.abs(y) }
}
