import LumenIO
import LumenTensor

/// What an operator sees of one node: its inputs (`nil` for an omitted optional
/// one), its attributes, and the opset the model imports.
struct ONNXNodeContext {
    let node: ONNX.Node
    let inputs: [ONNXValue?]
    let opset: Int

    /// The float tensor at input `index`, which must be given.
    func float(_ index: Int) throws(ONNXOperatorError) -> Tensor {
        guard let value = try optional(index) else { throw ONNXOperatorError("input \(index) is required") }
        guard case .float(let tensor) = value else { throw ONNXOperatorError("input \(index) must be a float tensor") }
        return tensor
    }

    /// The float tensor at input `index`, or `nil` when it is omitted.
    func optionalFloat(_ index: Int) throws(ONNXOperatorError) -> Tensor? {
        guard try optional(index) != nil else { return nil }
        return try float(index)
    }

    /// The integers at input `index` (axes, shapes, pads), or `nil` when omitted.
    func optionalIntegers(_ index: Int) throws(ONNXOperatorError) -> [Int]? {
        guard let value = try optional(index) else { return nil }
        guard case .integers(let integers) = value else { throw ONNXOperatorError("input \(index) must be an integer tensor") }
        return try integers.values.map { value throws(ONNXOperatorError) in
            guard let int = Int(exactly: value) else { throw ONNXOperatorError("input \(index) holds \(value), out of range") }
            return int
        }
    }

    /// A float input read as a list of numbers (Resize's scales, Clip's bounds).
    func optionalScalars(_ index: Int) throws(ONNXOperatorError) -> [Float]? {
        try optionalFloat(index)?.scalars
    }

    private func optional(_ index: Int) throws(ONNXOperatorError) -> ONNXValue? {
        index < inputs.count ? inputs[index] : nil
    }

    // MARK: Attributes

    func int(_ name: String, default value: Int) throws(ONNXOperatorError) -> Int {
        guard let attribute = node.attribute(name) else { return value }
        guard case .int(let int) = attribute, let result = Int(exactly: int) else {
            throw ONNXOperatorError("attribute '\(name)' must be an integer")
        }
        return result
    }

    func ints(_ name: String) throws(ONNXOperatorError) -> [Int]? {
        guard let attribute = node.attribute(name) else { return nil }
        guard case .ints(let ints) = attribute else { throw ONNXOperatorError("attribute '\(name)' must be a list of integers") }
        return try ints.map { value throws(ONNXOperatorError) in
            guard let int = Int(exactly: value) else { throw ONNXOperatorError("attribute '\(name)' holds \(value), out of range") }
            return int
        }
    }

    func float(_ name: String, default value: Float) throws(ONNXOperatorError) -> Float {
        guard let attribute = node.attribute(name) else { return value }
        guard case .float(let float) = attribute else { throw ONNXOperatorError("attribute '\(name)' must be a float") }
        return float
    }

    func string(_ name: String, default value: String) throws(ONNXOperatorError) -> String {
        guard let attribute = node.attribute(name) else { return value }
        guard case .string(let bytes) = attribute else { throw ONNXOperatorError("attribute '\(name)' must be a string") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Refuses a string attribute whose value is not one of `allowed`.
    func choice(_ name: String, default value: String, allowed: [String]) throws(ONNXOperatorError) -> String {
        let chosen = try string(name, default: value)
        guard allowed.contains(chosen) else {
            throw ONNXOperatorError("\(name) '\(chosen)' is not supported (Lumen runs \(allowed.joined(separator: ", ")))")
        }
        return chosen
    }

    /// `axis` made non-negative for a value of rank `rank`, or an error.
    func axis(_ axis: Int, rank: Int) throws(ONNXOperatorError) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard (0..<rank).contains(resolved) else { throw ONNXOperatorError("axis \(axis) is out of range for rank \(rank)") }
        return resolved
    }
}
