import Foundation
import LumenTensor

extension ONNXOperators {
    /// `Resize` of the height and width of `[N, C, H, W]`.
    static let resampling: [String: ONNXOperator] = ["Resize": resize]

    /// Linear or nearest modes in every coordinate convention but `tf_crop_and_resize`,
    /// sized by `scales` or `sizes` (opset 11 on), computed as ONNX's reference does:
    /// each output coordinate mapped to the input, clamped, and interpolated there.
    private static func resize(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue] {
        let x = try context.float(0)
        guard x.shape.rank == 4 else { throw ONNXOperatorError("input \(x.shape): Lumen resizes [N, C, H, W]") }
        let mode = try context.choice("mode", default: "nearest", allowed: ["nearest", "linear"])
        let coordinates = try context.choice("coordinate_transformation_mode", default: "half_pixel",
                                             allowed: ["half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric"])
        let rounding = try context.choice("nearest_mode", default: "round_prefer_floor",
                                          allowed: ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"])
        guard try context.int("antialias", default: 0) == 0 else { throw ONNXOperatorError("antialias is not supported") }
        guard try context.string("keep_aspect_ratio_policy", default: "stretch") == "stretch" else {
            throw ONNXOperatorError("keep_aspect_ratio_policy other than stretch is not supported")
        }
        if let axes = try context.ints("axes") {
            guard axes.map({ $0 < 0 ? $0 + 4 : $0 }) == [2, 3] else { throw ONNXOperatorError("axes \(axes): Lumen resizes height and width only") }
        }
        let given = Array(x.shape.dimensions.suffix(2))
        var outputs: [Int], scales: [Float]
        if let sizes = try context.optionalIntegers(3), !sizes.isEmpty {
            let spatial = Array(sizes.suffix(2))
            guard sizes.count == 2 || (sizes.count == 4 && Array(sizes.prefix(2)) == Array(x.shape.dimensions.prefix(2))), spatial.allSatisfy({ $0 >= 1 }) else {
                throw ONNXOperatorError("sizes \(sizes) for \(x.shape): Lumen resizes height and width only")
            }
            outputs = spatial
            scales = (0..<2).map { Float(outputs[$0]) / Float(given[$0]) }
        } else if let factors = try context.optionalScalars(2), !factors.isEmpty {
            guard factors.count == 2 || (factors.count == 4 && factors[0] == 1 && factors[1] == 1),
                  factors.suffix(2).allSatisfy({ $0.isFinite && $0 > 0 }) else {
                throw ONNXOperatorError("scales \(factors) for \(x.shape): Lumen resizes height and width only, by positive factors")
            }
            scales = Array(factors.suffix(2))
            outputs = try (0..<2).map { axis throws(ONNXOperatorError) in
                // In float, as ONNX Runtime computes it (10 × 0.7 is 7 there, not 6).
                let length = Double((Float(given[axis]) * scales[axis]).rounded(.down))
                guard length >= 1, length <= Double(onnxMaximumElements) else { throw ONNXOperatorError("scales \(factors) give an output of \(length) pixels") }
                return Int(length)
            }
        } else {
            throw ONNXOperatorError("either scales or sizes is required")
        }
        _ = try checkedElementCount(Array(x.shape.dimensions.prefix(2)) + outputs, of: "the resized tensor")
        let taps = (0..<2).map { axis in
            ResizeTaps(input: given[axis], output: outputs[axis], scale: scales[axis], coordinates: coordinates,
                       nearest: mode == "nearest" ? rounding : nil)
        }
        return [.float(taps[0].apply(rows: x, columns: taps[1]))]
    }
}

/// For each output index along one axis: two input indices and their weights.
private struct ResizeTaps {
    var first: [Int] = [], second: [Int] = [], secondWeight: [Float] = []

    init(input: Int, output: Int, scale: Float, coordinates: String, nearest rounding: String?) {
        for index in 0..<output {
            let i = Float(index)
            var source: Float
            switch coordinates {
            case "align_corners": source = output == 1 ? 0 : i * Float(input - 1) / Float(output - 1)
            case "asymmetric": source = i / scale
            case "pytorch_half_pixel": source = output > 1 ? (i + 0.5) / scale - 0.5 : 0
            case "half_pixel_symmetric":
                let adjustment = Float(output) / (scale * Float(input))
                source = Float(input) / 2 * (1 - adjustment) + (i + 0.5) / scale - 0.5
            default: source = (i + 0.5) / scale - 0.5
            }
            if let rounding {
                let rounded: Float
                switch rounding {
                case "floor": rounded = source.rounded(.down)
                case "ceil": rounded = source.rounded(.up)
                case "round_prefer_ceil": rounded = source.rounded(.toNearestOrAwayFromZero)
                default: rounded = source - source.rounded(.down) == 0.5 ? source.rounded(.down) : source.rounded()
                }
                let tap = Int(Swift.min(Swift.max(rounded, 0), Float(input - 1)))
                first.append(tap); second.append(tap); secondWeight.append(0)
            } else {
                let clamped = Swift.min(Swift.max(source, 0), Float(input - 1))
                let low = Int(clamped.rounded(.down))
                first.append(low); second.append(Swift.min(low + 1, input - 1)); secondWeight.append(clamped - Float(low))
            }
        }
    }

    /// Interpolates `x` with these taps along its rows and `columns` along its columns.
    func apply(rows x: Tensor, columns: ResizeTaps) -> Tensor {
        let (planes, height, width) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
        let (outHeight, outWidth) = (first.count, columns.first.count)
        return x.withUnsafeBufferPointer { input in
            Tensor(shape: [x.shape[0], x.shape[1], outHeight, outWidth]) { output in
                for plane in 0..<planes {
                    let source = plane * height * width, target = plane * outHeight * outWidth
                    for y in 0..<outHeight {
                        let upper = source + first[y] * width, lower = source + second[y] * width
                        let wy = secondWeight[y]
                        for column in 0..<outWidth {
                            let a = columns.first[column], b = columns.second[column], wx = columns.secondWeight[column]
                            let top = input[upper + a] + wx * (input[upper + b] - input[upper + a])
                            let bottom = input[lower + a] + wx * (input[lower + b] - input[lower + a])
                            output[target + y * outWidth + column] = top + wy * (bottom - top)
                        }
                    }
                }
            }
        }
    }
}
