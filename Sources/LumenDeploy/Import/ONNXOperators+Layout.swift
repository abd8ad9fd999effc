import LumenIO
import LumenTensor

extension ONNXOperators {
    /// Operators that move, join, cut or name values without arithmetic.
    static let layout: [String: ONNXOperator] = [
        "Identity": { context throws(ONNXOperatorError) in
            guard let value = context.inputs.first ?? nil else { throw ONNXOperatorError("input 0 is required") }
            return [value]
        },
        "Constant": constant,
        "Concat": concat,
        "Split": split,
        "Slice": slice,
        "Reshape": reshape,
        "Transpose": { context throws(ONNXOperatorError) in
            let x = try context.float(0)
            let order = try context.ints("perm") ?? Array((0..<x.shape.rank).reversed())
            guard order.sorted() == Array(0..<x.shape.rank) else { throw ONNXOperatorError("perm \(order) is not a permutation of \(x.shape.rank) axes") }
            return [.float(x.permuted(order))]
        },
        "DepthToSpace": depthToSpace,
        // The input's dimensions, `start` to `end` (opset 15).
        "Shape": { context throws(ONNXOperatorError) in
            guard let value = context.inputs.first ?? nil else { throw ONNXOperatorError("input 0 is required") }
            let dimensions = value.dimensions, rank = dimensions.count
            func clamp(_ bound: Int) -> Int { Swift.min(Swift.max(bound < 0 ? bound + rank : bound, 0), rank) }
            let start = clamp(try context.int("start", default: 0)), end = Swift.max(start, clamp(try context.int("end", default: rank)))
            return [.integers(.init(dimensions: [end - start], values: dimensions[start..<end].map { Int64($0) }))]
        },
        "Pad": pad,
    ]

    private static func constant(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue] {
        guard let attribute = context.node.attributes.first, context.node.attributes.count == 1 else {
            throw ONNXOperatorError("a Constant needs exactly one value attribute")
        }
        switch attribute.value {
        case .tensor(let tensor): return [try ONNXValue(tensor)]
        case .float(let value): return [.float(Tensor(value))]
        case .floats(let values): return [.float(Tensor(shape: [values.count], scalars: values))]
        case .int(let value): return [.integers(.init(dimensions: [], values: [value]))]
        case .ints(let values): return [.integers(.init(dimensions: [values.count], values: values))]
        default: throw ONNXOperatorError("attribute '\(attribute.name)' is not a value Lumen runs")
        }
    }

    private static func concat(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue] {
        let integerParts = context.inputs.compactMap { value -> ONNXValue.IntegerTensor? in
            if case .integers(let integers)? = value { integers } else { nil }
        }
        if !integerParts.isEmpty {
            guard integerParts.count == context.inputs.count, integerParts.allSatisfy({ $0.dimensions.count == 1 }) else {
                throw ONNXOperatorError("integer inputs are concatenated only as 1-D lists, not with float tensors")
            }
            let values = integerParts.flatMap(\.values)
            return [.integers(.init(dimensions: [values.count], values: values))]
        }
        let tensors = try context.inputs.indices.map { index throws(ONNXOperatorError) in try context.float(index) }
        guard let first = tensors.first else { throw ONNXOperatorError("nothing to concatenate") }
        let axis = try context.axis(try context.int("axis", default: 1), rank: first.shape.rank)
        for tensor in tensors where tensor.shape.rank != first.shape.rank
            || (0..<first.shape.rank).contains(where: { $0 != axis && tensor.shape[$0] != first.shape[$0] }) {
            throw ONNXOperatorError("cannot concatenate \(tensor.shape) with \(first.shape) along axis \(axis)")
        }
        return [.float(Tensor.concatenated(tensors, axis: axis))]
    }

    /// Sizes from input 1 (opset 13 on) or the `split` attribute (before); else
    /// equal parts, one per output (the last smaller with `num_outputs`, opset 18).
    private static func split(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue] {
        let x = try context.float(0)
        let axis = try context.axis(try context.int("axis", default: 0), rank: x.shape.rank)
        let length = x.shape[axis], parts = context.node.outputs.count
        var sizes = context.opset >= 13 ? try context.optionalIntegers(1) : try context.ints("split")
        if sizes == nil {
            let size = (length + parts - 1) / Swift.max(parts, 1)
            guard parts >= 1, context.opset >= 18 || length % parts == 0 else {
                throw ONNXOperatorError("axis \(axis) of \(x.shape) does not split into \(parts) equal parts")
            }
            sizes = (0..<parts).map { Swift.max(0, Swift.min(size, length - $0 * size)) }
        }
        guard let sizes, sizes.count == parts, sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == length else {
            throw ONNXOperatorError("split sizes \(sizes ?? []) for \(parts) outputs do not add up to axis \(axis) of \(x.shape)")
        }
        return x.split(sizes: sizes, axis: axis).map { .float($0) }
    }

    /// Steps of 1 only; bounds clamped as ONNX says, negative ones counted from the end.
    private static func slice(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue] {
        if case .integers(let list)? = context.inputs.first ?? nil {
            // A 1-D integer list (a shape being cut), along its only axis.
            guard list.dimensions.count == 1, let start = try context.optionalIntegers(1), let end = try context.optionalIntegers(2),
                  start.count == 1, end.count == 1, (try context.optionalIntegers(4) ?? [1]) == [1] else {
                throw ONNXOperatorError("an integer input is sliced only as a 1-D list with step 1")
            }
            let length = list.values.count
            func clamp(_ bound: Int) -> Int { Swift.min(Swift.max(bound < 0 ? bound + length : bound, 0), length) }
            let lower = clamp(start[0]), upper = Swift.max(lower, clamp(end[0]))
            return [.integers(.init(dimensions: [upper - lower], values: Array(list.values[lower..<upper])))]
        }
        let x = try context.float(0)
        guard let starts = try context.optionalIntegers(1), let ends = try context.optionalIntegers(2) else {
            throw ONNXOperatorError("starts and ends are required (Lumen runs Slice from opset 10 on)")
        }
        let axes = try context.optionalIntegers(3) ?? Array(0..<starts.count)
        let steps = try context.optionalIntegers(4) ?? Array(repeating: 1, count: starts.count)
        guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
            throw ONNXOperatorError("starts, ends, axes and steps have different lengths")
        }
        guard steps.allSatisfy({ $0 == 1 }) else { throw ONNXOperatorError("steps \(steps) are not supported (Lumen slices with step 1)") }
        var result = x
        for (index, axis) in axes.enumerated() {
            let axis = try context.axis(axis, rank: x.shape.rank), length = x.shape[axis]
            func clamp(_ bound: Int) -> Int { Swift.min(Swift.max(bound < 0 ? bound + length : bound, 0), length) }
            let start = clamp(starts[index]), end = Swift.max(start, clamp(ends[index]))
            result = result.sliced(axis: axis, range: start..<end)
        }
        return [.float(result)]
    }

    /// `0` copies the input's dimension (unless `allowzero`), `-1` is inferred.
    private static func reshape(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue] {
        let x = try context.float(0)
        guard var dimensions = try context.optionalIntegers(1) else { throw ONNXOperatorError("the shape input is required") }
        let allowZero = try context.int("allowzero", default: 0) != 0
        for (index, dimension) in dimensions.enumerated() where dimension == 0 && !allowZero {
            guard index < x.shape.rank else { throw ONNXOperatorError("shape \(dimensions) copies axis \(index) that \(x.shape) lacks") }
            dimensions[index] = x.shape[index]
        }
        let inferred = dimensions.indices.filter { dimensions[$0] == -1 }
        guard inferred.count <= 1, dimensions.allSatisfy({ $0 >= -1 }) else { throw ONNXOperatorError("shape \(dimensions) is not valid") }
        if let index = inferred.first {
            let known = dimensions.enumerated().reduce(1) { $1.offset == index ? $0 : $0 * $1.element }
            guard known > 0, x.shape.elementCount % known == 0 else { throw ONNXOperatorError("cannot reshape \(x.shape) to \(dimensions)") }
            dimensions[index] = x.shape.elementCount / known
        }
        guard try checkedElementCount(dimensions, of: "the reshaped tensor") == x.shape.elementCount else {
            throw ONNXOperatorError("cannot reshape \(x.shape) to \(dimensions)")
        }
        return [.float(x.reshaped(Shape(dimensions)))]
    }

    /// `DCR` (depth-column-row, the default) or `CRD` (PyTorch's PixelShuffle).
    private static func depthToSpace(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue] {
        let x = try context.float(0)
        let block = try context.int("blocksize", default: 0)
        let mode = try context.choice("mode", default: "DCR", allowed: ["DCR", "CRD"])
        guard x.shape.rank == 4, block >= 1, x.shape[1] % (block * block) == 0 else {
            throw ONNXOperatorError("blocksize \(block) does not divide the channels of \(x.shape)")
        }
        let (n, c, h, w) = (x.shape[0], x.shape[1] / (block * block), x.shape[2], x.shape[3])
        let moved = mode == "DCR"
            ? x.reshaped([n, block, block, c, h, w]).permuted([0, 3, 4, 1, 5, 2])
            : x.reshaped([n, c, block, block, h, w]).permuted([0, 1, 4, 2, 5, 3])
        return [.float(moved.reshaped([n, c, h * block, w * block]))]
    }

    /// Non-negative pads of the last two axes of a 4-D input: `constant` (any value),
    /// `reflect` or `edge`.
    private static func pad(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue] {
        let x = try context.float(0)
        let mode = try context.choice("mode", default: "constant", allowed: ["constant", "reflect", "edge"])
        guard let given = context.opset >= 11 ? try context.optionalIntegers(1) : try context.ints("pads") else {
            throw ONNXOperatorError("pads are required")
        }
        let rank = x.shape.rank
        var pads = [Int](repeating: 0, count: 2 * rank)
        let axes = try context.optionalIntegers(3) ?? Array(0..<rank)
        guard given.count == 2 * axes.count else { throw ONNXOperatorError("pads \(given) for \(axes.count) axes") }
        for (index, axis) in axes.enumerated() {
            let axis = try context.axis(axis, rank: rank)
            (pads[axis], pads[axis + rank]) = (given[index], given[index + axes.count])
        }
        guard rank == 4, pads.allSatisfy({ $0 >= 0 }), pads[0] == 0, pads[1] == 0, pads[4] == 0, pads[5] == 0 else {
            throw ONNXOperatorError("pads \(pads) of \(x.shape): Lumen pads the height and width of [N, C, H, W] by non-negative amounts")
        }
        let padding = Padding(top: pads[2], bottom: pads[6], left: pads[3], right: pads[7])
        _ = try checkedElementCount([x.shape[0], x.shape[1], x.shape[2] + pads[2] + pads[6], x.shape[3] + pads[3] + pads[7]],
                                    of: "the padded tensor")
        switch mode {
        case "reflect":
            guard Swift.max(pads[2], pads[6]) < x.shape[2], Swift.max(pads[3], pads[7]) < x.shape[3] else {
                throw ONNXOperatorError("reflect pads \(pads) are too wide for \(x.shape)")
            }
            return [.float(x.padded(padding, mode: .reflect))]
        case "edge":
            guard x.shape[2] > 0, x.shape[3] > 0 else { throw ONNXOperatorError("edge padding of an empty image") }
            return [.float(x.padded(padding, mode: .replicate))]
        default:
            let value = context.opset >= 11 ? try context.optionalScalars(2)?.first ?? 0 : try context.float("value", default: 0)
            let zeros = x.padded(padding)
            guard value != 0 else { return [.float(zeros)] }
            // The border gets `value`; the inside stays bit for bit the input.
            let border = 1 - Tensor(repeating: 1, shape: x.shape).padded(padding)
            return [.float(zeros + border * value)]
        }
    }
}
