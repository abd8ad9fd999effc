import LumenTensor

/// Histogram equalisation of luma, chroma untouched: OpenCV's `equalizeHist` on the
/// Y channel of 8-bit YCrCb (`cv2.COLOR_BGR2YCrCb`, then back), bit for bit.
///
/// Works on bytes `rint(v · 255)` and returns `Float(v8) / 255`, so
/// `Image(tensor:)` of the result holds OpenCV's bytes.
/// - Parameter image: RGB image `[N, 3, H, W]` in `[0, 1]`.
/// - Returns: The same shape; each image equalised on its own.
public func histogramEqualized(_ image: Tensor) -> Tensor {
    mappingImageBuffers(image) { image in
        var ycrcb = image.quantizedPlanes { FixedPointYCrCb.fromRGB($0, to: $1, count: $2) }
        ycrcb[0].map(through: equalizationTable(ycrcb[0]))
        image.writeConverted(ycrcb) { FixedPointYCrCb.toRGB($0, to: $1, count: $2) }
    }
}

/// OpenCV's `equalizeHist` mapping for one byte plane: the first occupied level
/// maps to 0 and level `i` above it to `rint(cdf(i) · 255 / (N − count(first)))`,
/// where `cdf` counts the pixels from the level after the first up to `i`, in
/// single precision. A constant plane maps to itself.
func equalizationTable(_ plane: Plane<UInt8>) -> [UInt8] {
    let counts = plane.values.withUnsafeBufferPointer { values in
        histogram(binCount: 256, count: values.count) { Int(values[$0]) }
    }
    guard let first = counts.firstIndex(where: { $0 > 0 }), counts[first] < plane.values.count else {
        return (0...255).map { UInt8($0) }
    }
    let scale = Float(255) / Float(plane.values.count - counts[first])
    var table = (0...255).map { UInt8($0) }
    table[first] = 0
    var sum = 0
    for level in first + 1 ..< 256 {
        sum += counts[level]
        table[level] = roundedByte(Float(sum) * scale)
    }
    return table
}

extension Plane<UInt8> {
    /// Replaces every value `v` by `table[v]`, split over threads.
    mutating func map(through table: [UInt8]) {
        precondition(table.count == 256, "a byte table has 256 entries, got \(table.count)")
        let count = values.count
        table.withUnsafeBufferPointer { table in
            values.withUnsafeMutableBufferPointer { values in
                let (table, values) = (table.baseAddress!, values.baseAddress!)
                parallelFor(count, grain: 65_536) { range in
                    for index in range { values[index] = table[Int(values[index])] }
                }
            }
        }
    }
}
