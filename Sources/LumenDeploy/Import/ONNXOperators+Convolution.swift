import LumenTensor

extension ONNXOperators {
    /// 2-D convolutions, pooling and the normalisations that follow convolutions.
    static let convolution: [String: ONNXOperator] = [
        "Conv": conv,
        "ConvTranspose": convTranspose,
        "MaxPool": { context throws(ONNXOperatorError) in try pool(context) { $0.maxPool2d(kernelSize: $1, stride: $2, padding: $3) } },
        "AveragePool": { context throws(ONNXOperatorError) in
            let includesPad = try context.int("count_include_pad", default: 0) != 0, pads = try context.ints("pads") ?? []
            guard includesPad || pads.allSatisfy({ $0 == 0 }) else {
                throw ONNXOperatorError("padding that the average does not count is not supported (Lumen counts it: count_include_pad = 1)")
            }
            return try pool(context) { $0.avgPool2d(kernelSize: $1, stride: $2, padding: $3) }
        },
        "BatchNormalization": { context throws(ONNXOperatorError) in
            let x = try context.float(0)
            guard try context.int("training_mode", default: 0) == 0 else {
                throw ONNXOperatorError("training mode is not run; export the model in inference mode")
            }
            let channels = x.shape.rank >= 2 ? x.shape[1] : 0
            let parameters = try (1...4).map { index throws(ONNXOperatorError) in try context.float(index) }
            guard x.shape.rank >= 2, parameters.allSatisfy({ $0.shape == [channels] }) else {
                throw ONNXOperatorError("scale, bias, mean and variance \(parameters.map(\.shape)) do not match input \(x.shape)")
            }
            return [.float(x.batchNormalized(runningMean: parameters[2], runningVariance: parameters[3], weight: parameters[0],
                                             bias: parameters[1], training: false,
                                             epsilon: try context.float("epsilon", default: 1e-5)))]
        },
        "InstanceNormalization": { context throws(ONNXOperatorError) in
            let x = try context.float(0), scale = try context.float(1), bias = try context.float(2)
            guard x.shape.rank == 4, scale.shape == [x.shape[1]], bias.shape == [x.shape[1]] else {
                throw ONNXOperatorError("scale \(scale.shape) and bias \(bias.shape) do not match input \(x.shape) (Lumen runs 2-D images)")
            }
            return [.float(x.instanceNormalized(weight: scale, bias: bias, epsilon: try context.float("epsilon", default: 1e-5)))]
        },
    ]

    /// Square windows with equal strides and pads on every side, `ceil_mode = 0`, no dilation.
    private static func pool(_ context: ONNXNodeContext, _ body: (Tensor, Int, Int, Int) -> Tensor) throws(ONNXOperatorError) -> [ONNXValue] {
        let x = try context.float(0)
        guard x.shape.rank == 4 else { throw ONNXOperatorError("input \(x.shape): Lumen pools [N, C, H, W]") }
        guard let kernel = try context.ints("kernel_shape"), kernel.count == 2, kernel[0] == kernel[1], kernel[0] >= 1 else {
            throw ONNXOperatorError("kernel_shape must be square (Lumen pools k x k windows)")
        }
        let strides = try context.ints("strides") ?? [1, 1], pads = try context.ints("pads") ?? [0, 0, 0, 0]
        guard strides.count == 2, strides[0] == strides[1], strides[0] >= 1, pads.count == 4, Set(pads).count == 1, pads[0] >= 0,
              pads[0] * 2 <= kernel[0] else {
            throw ONNXOperatorError("strides \(strides) and pads \(pads) must be equal on both axes (pads at most half the window)")
        }
        let ceil = try context.int("ceil_mode", default: 0), dilations = try context.ints("dilations") ?? [1, 1]
        guard ceil == 0, dilations == [1, 1], try context.string("auto_pad", default: "NOTSET") == "NOTSET" else {
            throw ONNXOperatorError("ceil_mode, dilations and auto_pad are not supported")
        }
        guard x.shape[2] + 2 * pads[0] >= kernel[0], x.shape[3] + 2 * pads[0] >= kernel[0] else {
            throw ONNXOperatorError("the window \(kernel[0]) is larger than the padded input \(x.shape)")
        }
        return [.float(body(x, kernel[0], strides[0], pads[0]))]
    }

    /// The window attributes both convolutions share, checked for a 2-D kernel `kernel`.
    private struct Window {
        var strides: [Int], dilations: [Int], group: Int
        /// `[top, left, bottom, right]` as ONNX orders them, before `auto_pad`.
        var pads: [Int]
        var autoPad: String

        init(_ context: ONNXNodeContext, kernel: [Int]) throws(ONNXOperatorError) {
            strides = try context.ints("strides") ?? [1, 1]
            dilations = try context.ints("dilations") ?? [1, 1]
            pads = try context.ints("pads") ?? [0, 0, 0, 0]
            group = try context.int("group", default: 1)
            autoPad = try context.choice("auto_pad", default: "NOTSET", allowed: ["NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"])
            if let shape = try context.ints("kernel_shape"), shape != kernel {
                throw ONNXOperatorError("kernel_shape \(shape) disagrees with the weight's \(kernel)")
            }
            guard strides.count == 2, dilations.count == 2, pads.count == 4 else {
                throw ONNXOperatorError("strides \(strides), dilations \(dilations), pads \(pads) are not those of a 2-D convolution")
            }
            guard strides.allSatisfy({ $0 >= 1 }), dilations.allSatisfy({ $0 >= 1 }), pads.allSatisfy({ $0 >= 0 }), group >= 1 else {
                throw ONNXOperatorError("strides \(strides) and dilations \(dilations) must be positive, pads \(pads) not negative, group \(group) positive")
            }
        }
    }

    private static func weightAndBias(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> (Tensor, Tensor, Tensor?) {
        let x = try context.float(0), weight = try context.float(1)
        guard x.shape.rank == 4, weight.shape.rank == 4 else {
            throw ONNXOperatorError("input \(x.shape) and weight \(weight.shape) are not those of a 2-D convolution (Lumen runs [N, C, H, W])")
        }
        return (x, weight, try context.optionalFloat(2))
    }

    private static func conv(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue] {
        let (x, weight, bias) = try weightAndBias(context)
        let window = try Window(context, kernel: [weight.shape[2], weight.shape[3]])
        let group = window.group
        guard x.shape[1] == weight.shape[1] * group, weight.shape[0] % group == 0 else {
            throw ONNXOperatorError("input \(x.shape) and weight \(weight.shape) do not fit \(group) group(s)")
        }
        if let bias, bias.shape != [weight.shape[0]] { throw ONNXOperatorError("bias \(bias.shape) for \(weight.shape[0]) output channels") }
        var pads = window.pads
        let extent = (0..<2).map { (weight.shape[2 + $0] - 1) * window.dilations[$0] + 1 }
        switch window.autoPad {
        case "VALID": pads = [0, 0, 0, 0]
        case "SAME_UPPER", "SAME_LOWER":
            for axis in 0..<2 {
                let length = x.shape[2 + axis], stride = window.strides[axis]
                let total = Swift.max(0, ((length + stride - 1) / stride - 1) * stride + extent[axis] - length)
                let small = total / 2, large = total - small
                (pads[axis], pads[axis + 2]) = window.autoPad == "SAME_UPPER" ? (small, large) : (large, small)
            }
        default: break
        }
        for axis in 0..<2 where x.shape[2 + axis] + pads[axis] + pads[axis + 2] < extent[axis] {
            throw ONNXOperatorError("the kernel's extent \(extent[axis]) is larger than the padded input \(x.shape)")
        }
        let outputs = (0..<2).map { (x.shape[2 + $0] + pads[$0] + pads[$0 + 2] - extent[$0]) / window.strides[$0] + 1 }
        _ = try checkedElementCount([x.shape[0], weight.shape[0]] + outputs, of: "the convolution's output")
        // Symmetric padding goes to the kernel; the asymmetric rest is added first.
        let symmetric = Pair(Swift.min(pads[0], pads[2]), Swift.min(pads[1], pads[3]))
        var input = x
        if pads[0] != pads[2] || pads[1] != pads[3] {
            input = x.padded(Padding(top: pads[0] - symmetric.first, bottom: pads[2] - symmetric.first,
                                     left: pads[1] - symmetric.second, right: pads[3] - symmetric.second))
        }
        return [.float(conv2d(input, weight: weight, bias: bias, stride: Pair(window.strides[0], window.strides[1]),
                              padding: symmetric, dilation: Pair(window.dilations[0], window.dilations[1]), groups: group))]
    }

    /// Computed as the full transposed convolution, then extended by `output_padding`
    /// and cropped by `pads` (or to `output_shape`), then the bias: exact for
    /// asymmetric pads too.
    private static func convTranspose(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue] {
        let (x, weight, bias) = try weightAndBias(context)
        let window = try Window(context, kernel: [weight.shape[2], weight.shape[3]])
        let group = window.group
        guard x.shape[1] == weight.shape[0], weight.shape[0] % group == 0 else {
            throw ONNXOperatorError("input \(x.shape) and weight \(weight.shape) do not fit \(group) group(s)")
        }
        let outChannels = weight.shape[1] * group
        if let bias, bias.shape != [outChannels] { throw ONNXOperatorError("bias \(bias.shape) for \(outChannels) output channels") }
        let outputPadding = try context.ints("output_padding") ?? [0, 0]
        guard outputPadding.count == 2, (0..<2).allSatisfy({ (0..<Swift.max(window.strides[$0], window.dilations[$0])).contains(outputPadding[$0]) }) else {
            throw ONNXOperatorError("output_padding \(outputPadding) must be smaller than the stride or dilation")
        }
        let full = (0..<2).map { (x.shape[2 + $0] - 1) * window.strides[$0] + (weight.shape[2 + $0] - 1) * window.dilations[$0] + 1 + outputPadding[$0] }
        var pads = window.pads
        if let shape = try context.ints("output_shape") ?? (window.autoPad.hasPrefix("SAME") ? (0..<2).map { x.shape[2 + $0] * window.strides[$0] } : nil) {
            let target = Array(shape.suffix(2))
            guard target.count == 2, (0..<2).allSatisfy({ (1...full[$0]).contains(target[$0]) }) else {
                throw ONNXOperatorError("output_shape \(shape) cannot be reached from input \(x.shape)")
            }
            for axis in 0..<2 {
                let total = full[axis] - target[axis], small = total / 2, large = total - small
                // ONNX's rule: SAME_UPPER puts the smaller half first, anything else the larger.
                (pads[axis], pads[axis + 2]) = window.autoPad == "SAME_UPPER" ? (small, large) : (large, small)
            }
        } else if window.autoPad == "VALID" {
            pads = [0, 0, 0, 0]
        }
        let outputs = (0..<2).map { full[$0] - pads[$0] - pads[$0 + 2] }
        guard outputs.allSatisfy({ $0 >= 1 }) else { throw ONNXOperatorError("pads \(pads) leave no output of \(full)") }
        _ = try checkedElementCount([x.shape[0], outChannels] + full, of: "the transposed convolution's output")
        var y = convTranspose2d(x, weight: weight, stride: Pair(window.strides[0], window.strides[1]),
                                dilation: Pair(window.dilations[0], window.dilations[1]), groups: group)
        if outputPadding != [0, 0] { y = y.padded(Padding(top: 0, bottom: outputPadding[0], left: 0, right: outputPadding[1])) }
        y = y.sliced(axis: 2, range: pads[0]..<(full[0] - pads[2])).sliced(axis: 3, range: pads[1]..<(full[1] - pads[3]))
        return [.float(bias.map { y + $0.reshaped([1, outChannels, 1, 1]) } ?? y)]
    }
}
