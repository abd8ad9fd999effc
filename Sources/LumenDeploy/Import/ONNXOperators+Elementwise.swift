import LumenTensor

extension ONNXOperators {
    /// Arithmetic, activations, reductions and matrix products.
    static let elementwise: [String: ONNXOperator] = [
        "Add": binary(+, integers: checked { $0.addingReportingOverflow($1) }),
        "Sub": binary(-, integers: checked { $0.subtractingReportingOverflow($1) }),
        "Mul": binary(*, integers: checked { $0.multipliedReportingOverflow(by: $1) }),
        "Div": binary(/, integers: { a, b throws(ONNXOperatorError) in
            guard b != 0 else { throw ONNXOperatorError("integer division by zero") }
            return try checked { $0.dividedReportingOverflow(by: $1) }(a, b)
        }),
        // Integer `Mod` as Python's `%` (the result takes the divisor's sign), ONNX's `fmod = 0`.
        "Mod": { context throws(ONNXOperatorError) in
            guard try context.int("fmod", default: 0) == 0 else { throw ONNXOperatorError("fmod = 1 is not supported") }
            return try binary({ _, _ in Tensor(0) }, integers: { a, b throws(ONNXOperatorError) in
                guard b != 0, !(a == .min && b == -1) else { throw ONNXOperatorError("integer modulo of \(a) by \(b)") }
                let remainder = a % b
                return remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder
            })(context)
        },
        "Pow": binary { $0.pow($1) },
        "Sqrt": unary { $0.sqrt() },
        "Exp": unary { $0.exp() },
        "Relu": unary { $0.relu() },
        "Sigmoid": unary { $0.sigmoid() },
        "Tanh": unary { $0.tanh() },
        "LeakyRelu": { context throws(ONNXOperatorError) in
            let slope = try context.float("alpha", default: 0.01)
            return [.float(try context.float(0).leakyReLU(negativeSlope: slope))]
        },
        "Clip": clip,
        "MatMul": matMul,
        "Softmax": softmax,
        "ReduceMean": reduceMean,
        "GlobalAveragePool": { context throws(ONNXOperatorError) in
            let x = try context.float(0)
            guard x.shape.rank >= 3 else { throw ONNXOperatorError("input \(x.shape) has no spatial axes") }
            return [.float(x.mean(axes: Array(2..<x.shape.rank), keepDimensions: true))]
        },
    ]

    /// Bounds from inputs 1 and 2 (opset 11 on) or the `min`/`max` attributes (before).
    private static func clip(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue] {
        let x = try context.float(0)
        func bound(_ index: Int, _ attribute: String) throws(ONNXOperatorError) -> Float? {
            if context.opset < 11 {
                return context.node.attribute(attribute) == nil ? nil : try context.float(attribute, default: 0)
            }
            guard let values = try context.optionalScalars(index) else { return nil }
            guard values.count == 1 else { throw ONNXOperatorError("Clip bound \(index) must be a scalar, got \(values.count) values") }
            return values[0]
        }
        return [.float(x.clamped(min: try bound(1, "min"), max: try bound(2, "max")))]
    }

    /// numpy's matmul for rank ≥ 2 operands whose batch axes are equal, or whose
    /// second operand is one matrix; a rank-1 operand is a row or column as numpy does.
    private static func matMul(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue] {
        var a = try context.float(0), b = try context.float(1)
        let vectorA = a.shape.rank == 1, vectorB = b.shape.rank == 1
        if vectorA { a = a.reshaped([1, a.shape[0]]) }
        if vectorB { b = b.reshaped([b.shape[0], 1]) }
        guard a.shape.rank >= 2, b.shape.rank >= 2, a.shape[-1] == b.shape[-2] else {
            throw ONNXOperatorError("cannot multiply \(a.shape) by \(b.shape)")
        }
        let batchA = Array(a.shape.dimensions.dropLast(2)), batchB = Array(b.shape.dimensions.dropLast(2))
        guard batchB.isEmpty || batchA == batchB else {
            throw ONNXOperatorError("batch axes \(batchA) and \(batchB) differ (Lumen broadcasts only a single right-hand matrix)")
        }
        _ = try checkedElementCount(batchA + [a.shape[-2], b.shape[-1]], of: "the product")
        var product = a.matmul(b)
        var dimensions = product.shape.dimensions
        if vectorB { dimensions.removeLast() }
        if vectorA { dimensions.remove(at: dimensions.count - (vectorB ? 1 : 2)) }
        if vectorA || vectorB { product = product.reshaped(Shape(dimensions)) }
        return [.float(product)]
    }

    /// Along `axis` from opset 13; before, over the input flattened to 2-D at `axis`.
    private static func softmax(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue] {
        let x = try context.float(0)
        let axis = try context.axis(try context.int("axis", default: context.opset >= 13 ? -1 : 1), rank: x.shape.rank)
        if context.opset >= 13 { return [.float(x.softmax(axis: axis))] }
        let rows = x.shape.dimensions[..<axis].reduce(1, *)
        return [.float(x.reshaped([rows, x.shape.elementCount / Swift.max(rows, 1)]).softmax(axis: 1).reshaped(x.shape))]
    }

    /// Axes from the attribute (before opset 18) or input 1 (from 18); no axes means
    /// all of them, unless `noop_with_empty_axes` says to pass the input through.
    private static func reduceMean(_ context: ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue] {
        let x = try context.float(0)
        let given = context.opset >= 18 ? try context.optionalIntegers(1) : try context.ints("axes")
        let keep = try context.int("keepdims", default: 1) != 0
        if given?.isEmpty ?? true, try context.int("noop_with_empty_axes", default: 0) != 0 { return [.float(x)] }
        var axes: [Int] = []
        for axis in given ?? [] { axes.append(try context.axis(axis, rank: x.shape.rank)) }
        guard Set(axes).count == axes.count else { throw ONNXOperatorError("axes \(given ?? []) repeat an axis") }
        return [.float(x.mean(axes: axes.isEmpty ? Array(0..<x.shape.rank) : axes.sorted(), keepDimensions: keep))]
    }
}
