/// The dimensions of a tensor, outermost first (`[N, C, H, W]` for images).
///
/// Tensors in Lumen are always contiguous and row-major, so a shape fully
/// describes the layout; strides are derived, never stored.
public struct Shape: Hashable, Sendable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The size of each dimension.
    public let dimensions: [Int]

    /// Creates a shape; every dimension must be non-negative.
    public init(_ dimensions: [Int]) {
        precondition(dimensions.allSatisfy { $0 >= 0 }, "negative dimension in shape \(dimensions)")
        self.dimensions = dimensions
    }

    public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// Number of dimensions.
    public var rank: Int { dimensions.count }

    /// Number of elements (1 for a scalar of rank 0).
    public var elementCount: Int { dimensions.reduce(1, *) }

    /// The size of dimension `axis`; negative axes count from the end.
    public subscript(axis: Int) -> Int { dimensions[normalizedAxis(axis)] }

    /// Row-major strides, in elements.
    public var strides: [Int] {
        var result = [Int](repeating: 1, count: rank)
        var running = 1
        for axis in (0..<rank).reversed() {
            result[axis] = running
            running *= dimensions[axis]
        }
        return result
    }

    /// Maps a possibly negative axis to `0 ..< rank`.
    public func normalizedAxis(_ axis: Int) -> Int {
        let normalized = axis < 0 ? axis + rank : axis
        precondition(normalized >= 0 && normalized < max(rank, 1), "axis \(axis) out of range for shape \(self)")
        return normalized
    }

    public var description: String { "[" + dimensions.map(String.init).joined(separator: ", ") + "]" }

    /// The shape two operands broadcast to (NumPy rules), or `nil` if they do not broadcast.
    public static func broadcast(_ a: Shape, _ b: Shape) -> Shape? {
        let rank = max(a.rank, b.rank)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.rank ? 1 : a.dimensions[i - (rank - a.rank)]
            let db = i < rank - b.rank ? 1 : b.dimensions[i - (rank - b.rank)]
            if da == db || db == 1 { result[i] = da } else if da == 1 { result[i] = db } else { return nil }
        }
        return Shape(result)
    }
}
