import LumenTensor

/// One ONNX operator: computes a node's outputs from its inputs and attributes, or
/// says why it cannot. Shapes are checked before any kernel runs, so a graph that
/// disagrees with itself is an error, never a trap.
typealias ONNXOperator = @Sendable (ONNXNodeContext) throws(ONNXOperatorError) -> [ONNXValue]

/// The operators of the default ONNX domain that Lumen runs, by op type: those
/// Lumen's own exports use and those common exporters emit for such networks.
enum ONNXOperators {
    static let all: [String: ONNXOperator] = elementwise
        .merging(convolution) { first, _ in first }
        .merging(layout) { first, _ in first }
        .merging(resampling) { first, _ in first }

    /// An operator with one float input and one float output.
    static func unary(_ body: @escaping @Sendable (Tensor) -> Tensor) -> ONNXOperator {
        { context throws(ONNXOperatorError) in [.float(body(try context.float(0)))] }
    }

    /// A broadcasting binary operator (numpy rules) on float tensors, or on the small
    /// integer tensors of shape arithmetic (equal shapes or a one-element operand).
    static func binary(_ body: @escaping @Sendable (Tensor, Tensor) -> Tensor,
                       integers: (@Sendable (Int64, Int64) throws(ONNXOperatorError) -> Int64)? = nil) -> ONNXOperator {
        { context throws(ONNXOperatorError) in
            if case .integers(let a)? = context.inputs.first ?? nil, context.inputs.count == 2, case .integers(let b)? = context.inputs[1] {
                guard let integers else { throw ONNXOperatorError("integer inputs are not supported") }
                return [.integers(try integerElementwise(a, b, integers))]
            }
            let a = try context.float(0), b = try context.float(1)
            guard Shape.broadcast(a.shape, b.shape) != nil else {
                throw ONNXOperatorError("inputs \(a.shape) and \(b.shape) do not broadcast")
            }
            return [.float(body(a, b))]
        }
    }

    private static func integerElementwise(_ a: ONNXValue.IntegerTensor, _ b: ONNXValue.IntegerTensor,
                                    _ body: (Int64, Int64) throws(ONNXOperatorError) -> Int64) throws(ONNXOperatorError) -> ONNXValue.IntegerTensor {
        if a.dimensions == b.dimensions {
            var values: [Int64] = []
            for (x, y) in zip(a.values, b.values) { values.append(try body(x, y)) }
            return .init(dimensions: a.dimensions, values: values)
        }
        if b.values.count == 1, a.dimensions.count >= b.dimensions.count {
            var values: [Int64] = []
            for x in a.values { values.append(try body(x, b.values[0])) }
            return .init(dimensions: a.dimensions, values: values)
        }
        if a.values.count == 1, b.dimensions.count >= a.dimensions.count {
            var values: [Int64] = []
            for y in b.values { values.append(try body(a.values[0], y)) }
            return .init(dimensions: b.dimensions, values: values)
        }
        throw ONNXOperatorError("integer inputs \(a.dimensions) and \(b.dimensions) do not broadcast (Lumen broadcasts one-element integer operands)")
    }

    /// Integer arithmetic that refuses to overflow.
    static func checked(_ body: @escaping @Sendable (Int64, Int64) -> (Int64, Bool)) -> @Sendable (Int64, Int64) throws(ONNXOperatorError) -> Int64 {
        { a, b throws(ONNXOperatorError) in
            let (result, overflow) = body(a, b)
            guard !overflow else { throw ONNXOperatorError("integer arithmetic on \(a) and \(b) overflows") }
            return result
        }
    }
}
