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
    let (count, height, width) = imageDimensions(image)
    let planeSize = height * width
    return Tensor(shape: image.shape) { output in
        image.withUnsafeBufferPointer { input in
            for index in 0..<count {
                let planes = (0..<3).map { channel in
                    Plane(width: width, height: height,
                          values: Array(UnsafeBufferPointer(start: input.baseAddress! + (index * 3 + channel) * planeSize,
                                                            count: planeSize)))
                }
                let results = transform(planes)
                precondition(results.count == 3 && results.allSatisfy { $0.width == width && $0.height == height },
                             "a classical method changed the image size")
                for (channel, plane) in results.enumerated() {
                    plane.values.withUnsafeBufferPointer {
                        (output.baseAddress! + (index * 3 + channel) * planeSize).initialize(from: $0.baseAddress!, count: planeSize)
                    }
                }
            }
        }
    }
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

/// `value` clamped to `0...255`.
@inline(__always)
func saturated(_ value: Int) -> UInt8 { UInt8(min(max(value, 0), 255)) }

/// `value` clamped to `0...255`, in a form that vectorises.
@inline(__always)
func saturated(_ value: Int32) -> UInt8 { UInt8(truncatingIfNeeded: min(max(value, 0), 255)) }

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
