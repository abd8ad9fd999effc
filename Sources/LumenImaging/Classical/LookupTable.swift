import LumenTensor

/// A 256-entry tone curve for 8-bit values, applied like OpenCV's `cv2.LUT`: each
/// channel value is quantised to a byte `v8 = rint(v · 255)` and replaced by
/// `entries[v8] / 255`.
///
/// ```swift
/// let negative = LookupTable { 255 - $0 }
/// let inverted = negative.applied(to: image)
/// ```
public struct LookupTable: Equatable, Sendable {
    /// The output byte for each input byte.
    public let entries: [UInt8]

    /// Creates a table from its 256 entries.
    public init(entries: [UInt8]) {
        precondition(entries.count == 256, "a lookup table has 256 entries, got \(entries.count)")
        self.entries = entries
    }

    /// Creates a table whose entry `i` is `transform(i)`.
    public init(_ transform: (UInt8) -> UInt8) {
        self.init(entries: (0...255).map { transform(UInt8($0)) })
    }

    /// The table that leaves every value unchanged.
    public static let identity = LookupTable { $0 }

    /// Maps every channel of `image` through the table.
    /// - Parameter image: RGB image `[N, 3, H, W]` in `[0, 1]`.
    /// - Returns: The same shape, values `entries[rint(v · 255)] / 255`.
    public func applied(to image: Tensor) -> Tensor {
        let levels = entries.map { Float($0) / 255 }
        return mappingImageBuffers(image) { $0.writeLevels([levels, levels, levels]) }
    }
}
