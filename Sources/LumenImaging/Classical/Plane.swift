import LumenTensor

/// One channel of one image, row-major: the working form of the classical methods,
/// which run per channel on plain arrays rather than on tensors.
struct Plane<Scalar> {
    let width: Int
    let height: Int
    var values: [Scalar]

    init(width: Int, height: Int, values: [Scalar]) {
        precondition(values.count == width * height, "\(values.count) values for a \(width) x \(height) plane")
        (self.width, self.height, self.values) = (width, height, values)
    }

    init(width: Int, height: Int, repeating value: Scalar) {
        self.init(width: width, height: height, values: Array(repeating: value, count: width * height))
    }

    /// The plane with `transform` applied to every value, split over threads.
    @inline(__always)
    func mapped<Result>(_ transform: (Scalar) -> Result) -> Plane<Result> {
        let count = values.count
        let result = values.withUnsafeBufferPointer { input in
            [Result](unsafeUninitializedCapacity: count) { output, initialized in
                let (input, output) = (input.baseAddress!, output.baseAddress!)
                parallelFor(count, grain: 65_536) { range in
                    for index in range { (output + index).initialize(to: transform(input[index])) }
                }
                initialized = count
            }
        }
        return Plane<Result>(width: width, height: height, values: result)
    }
}

extension Plane<Float> {
    /// `transform(self[i], other[i])` for every index of two planes of the same
    /// size, split over threads.
    @inline(__always)
    func combined(with other: Plane<Float>, _ transform: (Float, Float) -> Float) -> Plane<Float> {
        precondition(other.width == width && other.height == height, "planes of different sizes")
        let count = values.count
        let result = values.withUnsafeBufferPointer { first in
            other.values.withUnsafeBufferPointer { second in
                [Float](unsafeUninitializedCapacity: count) { output, initialized in
                    let (first, second, output) = (first.baseAddress!, second.baseAddress!, output.baseAddress!)
                    parallelFor(count, grain: 65_536) { range in
                        for index in range { output[index] = transform(first[index], second[index]) }
                    }
                    initialized = count
                }
            }
        }
        return Plane(width: width, height: height, values: result)
    }
}

/// Applies `transform` to the RGB planes of each image in `image` `[N, 3, H, W]` and
/// stacks the returned planes (same size) into a tensor of the same shape.
func mappingImages(_ image: Tensor, _ transform: ([Plane<Float>]) -> [Plane<Float>]) -> Tensor {
    mappingPlanes(image, transform, read: { source, count in
        Array(UnsafeBufferPointer(start: source, count: count))
    }, write: { values, target in
        values.withUnsafeBufferPointer { target.initialize(from: $0.baseAddress!, count: $0.count) }
    })
}

/// Like ``mappingImages(_:_:)`` on 8-bit planes: each value is quantised to
/// `rint(clamp(v, 0, 1) · 255)` (NaN becomes 0), exactly as `Image(tensor:)` does,
/// and the results come back as `Float(v) / 255`, so that an `Image` made from the
/// output holds the bytes that `transform` produced.
func mappingQuantizedImages(_ image: Tensor, _ transform: ([Plane<UInt8>]) -> [Plane<UInt8>]) -> Tensor {
    let levels = (0...255).map { Float($0) / 255 }
    return mappingPlanes(image, transform, read: { source, count in
        [UInt8](unsafeUninitializedCapacity: count) { bytes, initialized in
            let bytes = bytes.baseAddress!
            parallelFor(count, grain: 65_536) { range in
                for index in range { bytes[index] = quantized(source[index]) }
            }
            initialized = count
        }
    }, write: { bytes, target in
        bytes.withUnsafeBufferPointer { bytes in
            levels.withUnsafeBufferPointer { levels in
                parallelFor(bytes.count, grain: 65_536) { range in
                    for index in range { target[index] = levels[Int(bytes[index])] }
                }
            }
        }
    })
}

/// The loop shared by ``mappingImages(_:_:)`` and ``mappingQuantizedImages(_:_:)``:
/// `read` turns `count` tensor values at a pointer into a plane's values, `write`
/// stores a plane's values at a pointer.
private func mappingPlanes<Scalar>(
    _ image: Tensor,
    _ transform: ([Plane<Scalar>]) -> [Plane<Scalar>],
    read: (UnsafePointer<Float>, Int) -> [Scalar],
    write: ([Scalar], UnsafeMutablePointer<Float>) -> Void
) -> Tensor {
    let (count, height, width) = imageDimensions(image)
    let planeSize = height * width
    return Tensor(shape: image.shape) { output in
        image.withUnsafeBufferPointer { input in
            for index in 0..<count {
                let planes = (0..<3).map { channel in
                    Plane(width: width, height: height,
                          values: read(input.baseAddress! + (index * 3 + channel) * planeSize, planeSize))
                }
                let results = transform(planes)
                precondition(results.count == 3 && results.allSatisfy { $0.width == width && $0.height == height },
                             "a classical method changed the image size")
                for (channel, plane) in results.enumerated() {
                    write(plane.values, output.baseAddress! + (index * 3 + channel) * planeSize)
                }
            }
        }
    }
}

/// `rint(clamp(v, 0, 1) · 255)`, NaN to 0: the rounding of `Image(tensor:)`.
@inline(__always)
func quantized(_ value: Float) -> UInt8 {
    roundedByte(value.isNaN ? 0 : min(max(value, 0), 1) * 255)
}

/// `value` rounded to the nearest integer, ties to even, and clamped to `0...255`:
/// OpenCV's `saturate_cast<uchar>` of a float, for `|value| < 2^22`.
@inline(__always)
func roundedByte(_ value: Float) -> UInt8 {
    // Adding and removing 1.5 · 2^23 rounds in the default rounding mode without a
    // call to `rintf`, which `rounded(.toNearestOrEven)` becomes without SSE4.1.
    let magic: Float = 12_582_912
    return saturated(Int((value + magic) - magic))
}

/// The batch size, height and width of an RGB image tensor `[N, 3, H, W]`.
func imageDimensions(_ image: Tensor) -> (count: Int, height: Int, width: Int) {
    let dimensions = image.shape.dimensions
    precondition(dimensions.count == 4 && dimensions[1] == 3 && dimensions[2] > 0 && dimensions[3] > 0,
                 "classical method on shape \(image.shape); expected an RGB image [N, 3, H, W], H, W >= 1")
    return (dimensions[0], dimensions[2], dimensions[3])
}

/// The base addresses of three byte planes.
typealias PlaneAddresses = (UnsafePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>)

/// The base addresses of three byte planes being written.
typealias MutablePlaneAddresses = (UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<UInt8>)

/// Converts three byte planes of the same size into three new ones: `convert` is
/// called on ranges of pixel indices (split over threads) and writes every pixel of
/// its range in the outputs. The per-pixel loop lives in `convert`, so that it is
/// compiled for one conversion rather than calling a closure per pixel.
func converted(
    _ planes: [Plane<UInt8>],
    _ convert: (Range<Int>, PlaneAddresses, MutablePlaneAddresses) -> Void
) -> [Plane<UInt8>] {
    precondition(planes.count == 3, "colour conversion of \(planes.count) planes; expected 3")
    let (width, height) = (planes[0].width, planes[0].height)
    let count = width * height
    var (second, third): ([UInt8], [UInt8]) = ([], [])
    let first = [UInt8](unsafeUninitializedCapacity: count) { out0, initialized0 in
        second = [UInt8](unsafeUninitializedCapacity: count) { out1, initialized1 in
            third = [UInt8](unsafeUninitializedCapacity: count) { out2, initialized2 in
                planes[0].values.withUnsafeBufferPointer { in0 in
                    planes[1].values.withUnsafeBufferPointer { in1 in
                        planes[2].values.withUnsafeBufferPointer { in2 in
                            let inputs = (in0.baseAddress!, in1.baseAddress!, in2.baseAddress!)
                            let outputs = (out0.baseAddress!, out1.baseAddress!, out2.baseAddress!)
                            parallelFor(count, grain: 65_536) { range in convert(range, inputs, outputs) }
                        }
                    }
                }
                initialized2 = count
            }
            initialized1 = count
        }
        initialized0 = count
    }
    return [first, second, third].map { Plane(width: width, height: height, values: $0) }
}

/// `value` clamped to `0...255`.
@inline(__always)
func saturated(_ value: Int) -> UInt8 { UInt8(min(max(value, 0), 255)) }

/// The in-range index that `index` maps to under OpenCV's `BORDER_REFLECT_101`
/// (`gfedcb|abcdefgh|gfedcba`), reflecting repeatedly when `index` lies more than
/// one length outside.
func reflected101(_ index: Int, count: Int) -> Int {
    guard count > 1 else { return 0 }
    var index = index
    while index < 0 || index >= count {
        index = index < 0 ? -index : 2 * count - 2 - index
    }
    return index
}
