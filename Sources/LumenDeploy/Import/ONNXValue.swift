import LumenIO
import LumenTensor

/// A value flowing through an imported graph: a float tensor (images, weights) or
/// a small integer tensor (shapes, axes, split sizes, pads).
enum ONNXValue {
    case float(Tensor)
    case integers(IntegerTensor)

    /// An int64 tensor kept as Swift integers; only shape-like data is integer here.
    struct IntegerTensor {
        var dimensions: [Int]
        var values: [Int64]
    }

    /// The value's dimensions.
    var dimensions: [Int] {
        switch self {
        case .float(let tensor): tensor.shape.dimensions
        case .integers(let integers): integers.dimensions
        }
    }

    /// An ONNX tensor (an initializer or a `Constant`) as a value: floating-point
    /// types become float tensors, integer types integers.
    init(_ tensor: ONNX.Tensor) throws(ONNXOperatorError) {
        let dimensions = tensor.dims.map { Int($0) }
        if let floats = tensor.floatValues() {
            self = .float(Tensor(shape: Shape(dimensions), scalars: floats))
        } else if let integers = tensor.integerValues() {
            self = .integers(IntegerTensor(dimensions: dimensions, values: integers))
        } else {
            throw ONNXOperatorError("tensor '\(tensor.name)' has data type \(tensor.dataType), which Lumen does not run")
        }
    }
}

/// The most elements any value may have (4 GiB of floats): a graph that asks for
/// more is refused before anything is allocated.
let onnxMaximumElements = 1 << 30

/// The element count of `dimensions`, or an error when it is negative or too large.
func checkedElementCount(_ dimensions: [Int], of what: String) throws(ONNXOperatorError) -> Int {
    var count = 1
    for dimension in dimensions {
        guard dimension >= 0 else { throw ONNXOperatorError("\(what) would have a negative dimension: \(dimensions)") }
        let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
        guard !overflow, product <= onnxMaximumElements else {
            throw ONNXOperatorError("\(what) would have \(dimensions) elements, more than Lumen allocates (\(onnxMaximumElements))")
        }
        count = product
    }
    return count
}
