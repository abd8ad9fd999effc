import LumenTensor

// The metrics compute on planes of doubles, so that sums over a million pixels
// keep their digits.
extension Plane where Scalar == Double {
    /// Channel `channel` of `image` `[1, C, H, W]`, each value multiplied by `scale`.
    init(_ image: Tensor, channel: Int, scale: Double = 1) {
        let dimensions = image.shape.dimensions
        precondition(dimensions.count == 4 && dimensions[0] == 1 && channel < dimensions[1],
                     "channel \(channel) of an image tensor of shape \(image.shape); expected [1, C, H, W]")
        let (height, width) = (dimensions[2], dimensions[3])
        let offset = channel * width * height
        let values = image.withUnsafeBufferPointer { buffer in
            (0..<width * height).map { scale * Double(buffer[offset + $0]) }
        }
        self.init(width: width, height: height, values: values)
    }

    /// Every channel of `image` `[1, C, H, W]`, multiplied by `scale`.
    static func channels(of image: Tensor, scale: Double = 1) -> [Plane<Double>] {
        (0..<image.shape[1]).map { Plane(image, channel: $0, scale: scale) }
    }

    subscript(row: Int, column: Int) -> Double { values[row * width + column] }

    /// The element-wise combination of two planes of the same size.
    static func combining(_ a: Plane<Double>, _ b: Plane<Double>, _ combine: (Double, Double) -> Double) -> Plane<Double> {
        precondition(a.width == b.width && a.height == b.height, "planes of different sizes")
        return Plane(width: a.width, height: a.height, values: zip(a.values, b.values).map(combine))
    }

    /// The mean value, summed in index order.
    var mean: Double { values.reduce(0, +) / Double(values.count) }

    /// A plane of `width` x `height` whose rows are computed by `row(y, output)`,
    /// over ``parallelFor(_:grain:_:)``: each task writes its own rows.
    static func byRows(width: Int, height: Int, _ row: (Int, UnsafeMutableBufferPointer<Double>) -> Void) -> Plane<Double> {
        let values = [Double](unsafeUninitializedCapacity: width * height) { buffer, count in
            guard let base = buffer.baseAddress else { return }
            parallelFor(height, grain: max(1, 16_384 / max(width, 1))) { rows in
                for y in rows { row(y, UnsafeMutableBufferPointer(start: base + y * width, count: width)) }
            }
            count = width * height
        }
        return Plane(width: width, height: height, values: values)
    }
}
