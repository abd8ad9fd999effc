/// Two integers for the height and width of a 2-D hyper-parameter (kernel size,
/// stride, padding, dilation); `3` means `[3, 3]`.
///
/// ```swift
/// conv2d(x, weight: w, stride: 2, padding: [1, 0])
/// ```
public struct Pair: Hashable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The value along the height (rows).
    public let first: Int
    /// The value along the width (columns).
    public let second: Int

    /// Creates a pair from its height and width values.
    public init(_ first: Int, _ second: Int) {
        self.first = first
        self.second = second
    }

    /// Creates a pair with the same value for height and width.
    public init(_ value: Int) { self.init(value, value) }

    public init(integerLiteral value: Int) { self.init(value) }

    /// Accepts `[value]` or `[height, width]`.
    public init(arrayLiteral elements: Int...) {
        precondition(elements.count == 1 || elements.count == 2, "a Pair takes one or two values, got \(elements)")
        self.init(elements[0], elements[elements.count - 1])
    }

    public var description: String { "[\(first), \(second)]" }
}
