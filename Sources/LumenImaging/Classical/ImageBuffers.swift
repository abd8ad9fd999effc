import LumenTensor

/// One RGB image of an `[N, 3, H, W]` tensor and the place its result goes: three
/// channel planes of `width · height` values each, one after another, rows
/// contiguous.
///
/// The methods that OpenCV runs on bytes (gamma, equalisation, CLAHE, gray-world)
/// work through it in passes over bands of rows, quantising floats to bytes and
/// back inside each pass, so that a large photo is read and written once or twice
/// instead of being copied into intermediate planes at every step.
struct ImageBuffers {
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let width: Int
    let height: Int

    /// Values in one channel plane.
    var planeSize: Int { width * height }

    /// The smallest number of rows worth a task of their own.
    var rowGrain: Int { max(1, 32_768 / width) }

    /// Quantises the image and converts it into three byte planes: `convert` gets
    /// rows of R, G, B bytes and fills the same rows of the new planes.
    func quantizedPlanes(converting convert: RowConversion) -> [Plane<UInt8>] {
        let (width, input, planeSize) = (self.width, self.input, self.planeSize)
        return uninitializedPlanes(width: width, height: height) { planes in
            parallelFor(height, grain: rowGrain) { rows in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 3 * width) { scratch in
                    let rgb = (scratch.baseAddress!, scratch.baseAddress! + width, scratch.baseAddress! + 2 * width)
                    for y in rows {
                        let offset = y * width
                        quantize(input + offset, into: rgb.0, count: width)
                        quantize(input + planeSize + offset, into: rgb.1, count: width)
                        quantize(input + 2 * planeSize + offset, into: rgb.2, count: width)
                        convert((UnsafePointer(rgb.0), UnsafePointer(rgb.1), UnsafePointer(rgb.2)),
                                (planes.0 + offset, planes.1 + offset, planes.2 + offset), width)
                    }
                }
            }
        }
    }

    /// Writes the result from three byte planes of the image's size: `convert` gets
    /// rows of the planes and fills rows of R, G, B bytes, stored as `Float(v) / 255`.
    func writeConverted(_ planes: [Plane<UInt8>], _ convert: RowConversion) {
        let (width, height, output, planeSize) = (self.width, self.height, self.output, self.planeSize)
        precondition(planes.count == 3 && planes.allSatisfy { $0.width == width && $0.height == height },
                     "a classical method changed the image size")
        planes[0].values.withUnsafeBufferPointer { first in
            planes[1].values.withUnsafeBufferPointer { second in
                planes[2].values.withUnsafeBufferPointer { third in
                    let sources = (first.baseAddress!, second.baseAddress!, third.baseAddress!)
                    parallelFor(height, grain: rowGrain) { rows in
                        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 3 * width) { scratch in
                            let rgb = (scratch.baseAddress!, scratch.baseAddress! + width, scratch.baseAddress! + 2 * width)
                            for y in rows {
                                let offset = y * width
                                convert((sources.0 + offset, sources.1 + offset, sources.2 + offset), rgb, width)
                                dequantize(rgb.0, into: output + offset, count: width)
                                dequantize(rgb.1, into: output + planeSize + offset, count: width)
                                dequantize(rgb.2, into: output + 2 * planeSize + offset, count: width)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Writes `levels[c][quantized(v)]` for every value `v` of channel `c`.
    /// - Parameter levels: three 256-entry tables, one per channel.
    func writeLevels(_ levels: [[Float]]) {
        precondition(levels.count == 3 && levels.allSatisfy { $0.count == 256 }, "expected three 256-entry tables")
        let (input, output, planeSize) = (self.input, self.output, self.planeSize)
        for channel in 0..<3 {
            levels[channel].withUnsafeBufferPointer { table in
                let table = table.baseAddress!
                let (source, target) = (input + channel * planeSize, output + channel * planeSize)
                parallelFor(planeSize, grain: 65_536) { range in
                    // Quantising a block first lets that loop vectorise; the table
                    // lookups that follow cannot.
                    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.block) { bytes in
                        let bytes = bytes.baseAddress!
                        for start in stride(from: range.lowerBound, to: range.upperBound, by: Self.block) {
                            let count = min(Self.block, range.upperBound - start)
                            quantize(source + start, into: bytes, count: count)
                            for index in 0..<count { target[start + index] = table[Int(bytes[index])] }
                        }
                    }
                }
            }
        }
    }

    /// Values per block where a pass quantises a run of values into scratch bytes.
    static let block = 4096
}

/// Runs `body` on each image of `image` `[N, 3, H, W]` and returns the tensor of
/// the same shape that the calls write; `body` must write every output value.
func mappingImageBuffers(_ image: Tensor, _ body: (ImageBuffers) -> Void) -> Tensor {
    let (count, height, width) = imageDimensions(image)
    let imageSize = 3 * height * width
    return Tensor(shape: image.shape) { output in
        image.withUnsafeBufferPointer { input in
            for index in 0..<count {
                body(ImageBuffers(input: input.baseAddress! + index * imageSize,
                                  output: output.baseAddress! + index * imageSize, width: width, height: height))
            }
        }
    }
}

/// The addresses of rows of three byte planes.
typealias PlaneAddresses = (UnsafePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>)

/// The addresses of rows of three byte planes being written.
typealias MutablePlaneAddresses = (UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<UInt8>)

/// Converts `count` pixels from rows of three byte planes into rows of three others.
/// The per-pixel loop lives in the conversion, so that it is compiled for one
/// conversion rather than calling a closure per pixel.
typealias RowConversion = (PlaneAddresses, MutablePlaneAddresses, Int) -> Void

/// Three new byte planes whose values `initialize` writes, all of them.
private func uninitializedPlanes(width: Int, height: Int,
                                 _ initialize: (MutablePlaneAddresses) -> Void) -> [Plane<UInt8>] {
    let count = width * height
    var (second, third): ([UInt8], [UInt8]) = ([], [])
    let first = [UInt8](unsafeUninitializedCapacity: count) { out0, initialized0 in
        second = [UInt8](unsafeUninitializedCapacity: count) { out1, initialized1 in
            third = [UInt8](unsafeUninitializedCapacity: count) { out2, initialized2 in
                initialize((out0.baseAddress!, out1.baseAddress!, out2.baseAddress!))
                initialized2 = count
            }
            initialized1 = count
        }
        initialized0 = count
    }
    return [first, second, third].map { Plane(width: width, height: height, values: $0) }
}

/// `rint(clamp(v, 0, 1) · 255)`, NaN to 0: the rounding of `Image(tensor:)`.
///
/// Written without branches or trapping conversions so that loops over it
/// vectorise.
@inline(__always)
func quantized(_ value: Float) -> UInt8 {
    // `value > 0` is false for NaN, which thus becomes 0.
    nearestByte(value > 0 ? (value < 1 ? value : 1) * 255 : 0)
}

/// `value`, which must lie in `0 ..< 255.5`, rounded to the nearest integer, ties
/// to even, as ``roundedByte(_:)`` but without a conversion that checks its range:
/// adding 2^23 leaves the rounded value in the low bits of the float.
@inline(__always)
func nearestByte(_ value: Float) -> UInt8 {
    UInt8(truncatingIfNeeded: (value + 8_388_608).bitPattern)
}

/// Quantises `count` values with ``quantized(_:)``.
@inline(__always)
func quantize(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<UInt8>, count: Int) {
    for index in 0..<count { target[index] = quantized(source[index]) }
}

/// Stores `count` bytes as `Float(v) / 255`, which `Image(tensor:)` quantises back
/// to `v`.
@inline(__always)
func dequantize(_ source: UnsafePointer<UInt8>, into target: UnsafeMutablePointer<Float>, count: Int) {
    for index in 0..<count { target[index] = Float(source[index]) / 255 }
}
