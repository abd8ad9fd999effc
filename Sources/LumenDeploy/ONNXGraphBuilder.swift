import LumenIO
import LumenNN
import LumenTensor

/// Builds an ONNX graph node by node, as a model's forward pass would run:
/// each emitting method takes the names of its input values and returns the name
/// of its output, and weights become initializers named after their layer.
///
/// ```swift
/// var builder = ONNXGraphBuilder(name: "zero-dce")
/// let x = builder.relu(builder.conv(conv1, "input", name: "conv1"))
/// ```
public struct ONNXGraphBuilder {
    /// The graph so far.
    public private(set) var graph: ONNX.Graph
    private var counter = 0

    /// An empty graph called `name`.
    public init(name: String) { graph = ONNX.Graph(name: name) }

    /// Declares a float image input `[batch, channels, height, width]` with dynamic
    /// batch, height and width.
    public mutating func imageInput(_ name: String, channels: Int) {
        graph.inputs.append(Self.image(name, channels: channels, height: "height", width: "width"))
    }

    /// Declares a float image output; `heightFactor` names its size relative to the
    /// input's (`height*3` for a ×3 upscaler).
    public mutating func imageOutput(_ name: String, channels: Int, scale: Int = 1) {
        let suffix = scale == 1 ? "" : "*\(scale)"
        graph.outputs.append(Self.image(name, channels: channels, height: "height" + suffix, width: "width" + suffix))
    }

    private static func image(_ name: String, channels: Int, height: String, width: String) -> ONNX.ValueInfo {
        ONNX.ValueInfo(name: name, elementType: ONNX.Tensor.DataType.float.rawValue,
                       shape: [.parameter("batch"), .value(Int64(channels)), .parameter(height), .parameter(width)])
    }

    /// Adds a constant tensor and returns its name. Subnormal values are flushed to
    /// zero, since runtimes differ on them and some slow down by orders of magnitude.
    public mutating func initializer(_ tensor: Tensor, name: String) -> String {
        let values = tensor.scalars.map { $0.isSubnormal ? 0 : $0 }
        graph.initializers.append(ONNX.Tensor(name: name, dims: tensor.shape.dimensions, floats: values))
        return name
    }

    /// Adds an int64 constant (shapes, axes, split sizes) and returns its name.
    public mutating func integers(_ values: [Int64], name: String) -> String {
        graph.initializers.append(ONNX.Tensor(name: name, dims: [values.count], int64s: values))
        return name
    }

    /// Adds a node with one output and returns the output's name (`name`, or one made up).
    @discardableResult
    public mutating func node(_ opType: String, _ inputs: [String], name: String? = nil,
                              attributes: [ONNX.Attribute] = []) -> String {
        node(opType, inputs, outputCount: 1, name: name, attributes: attributes)[0]
    }

    /// Adds a node with `outputCount` outputs and returns their names.
    public mutating func node(_ opType: String, _ inputs: [String], outputCount: Int, name: String? = nil,
                              attributes: [ONNX.Attribute] = []) -> [String] {
        counter += 1
        let nodeName = name ?? "\(opType)_\(counter)"
        let outputs = outputCount == 1 ? [nodeName] : (0..<outputCount).map { "\(nodeName):\($0)" }
        graph.nodes.append(ONNX.Node(opType: opType, inputs: inputs, outputs: outputs, name: nodeName, attributes: attributes))
        return outputs
    }

    /// Renames the value `name` to `output` by an `Identity` node, so that the graph's
    /// output has the name the contract gives it.
    public mutating func output(_ name: String, as output: String) {
        graph.nodes.append(ONNX.Node(opType: "Identity", inputs: [name], outputs: [output], name: output))
    }

    // MARK: Layers

    /// A convolution with its weights (and bias) as initializers `NAME.weight`, `NAME.bias`.
    public mutating func conv(_ conv: Conv2d, _ input: String, name: String) -> String {
        var inputs = [input, initializer(conv.weight, name: "\(name).weight")]
        if let bias = conv.bias { inputs.append(initializer(bias, name: "\(name).bias")) }
        let kernel = conv.weight.shape
        let attributes: [ONNX.Attribute] = [
            ONNX.Attribute("kernel_shape", .ints([Int64(kernel[2]), Int64(kernel[3])])),
            ONNX.Attribute("strides", .ints([Int64(conv.stride.first), Int64(conv.stride.second)])),
            ONNX.Attribute("pads", .ints([conv.padding.first, conv.padding.second, conv.padding.first, conv.padding.second].map(Int64.init))),
            ONNX.Attribute("dilations", .ints([Int64(conv.dilation.first), Int64(conv.dilation.second)])),
            ONNX.Attribute("group", .int(Int64(conv.groups))),
        ]
        return node("Conv", inputs, name: name, attributes: attributes)
    }

    public mutating func relu(_ x: String) -> String { node("Relu", [x]) }

    public mutating func tanh(_ x: String) -> String { node("Tanh", [x]) }

    public mutating func sigmoid(_ x: String) -> String { node("Sigmoid", [x]) }

    public mutating func add(_ a: String, _ b: String) -> String { node("Add", [a, b]) }

    public mutating func sub(_ a: String, _ b: String) -> String { node("Sub", [a, b]) }

    public mutating func mul(_ a: String, _ b: String) -> String { node("Mul", [a, b]) }

    /// Concatenation along the channels.
    public mutating func concatChannels(_ values: [String]) -> String {
        node("Concat", values, attributes: [ONNX.Attribute("axis", .int(1))])
    }

    /// Splits the channels into equal parts (opset 13 and later take the sizes as an input).
    public mutating func splitChannels(_ x: String, into count: Int, size: Int) -> [String] {
        let sizes = integers(Array(repeating: Int64(size), count: count), name: "split_\(counter + 1).sizes")
        return node("Split", [x, sizes], outputCount: count, attributes: [ONNX.Attribute("axis", .int(1))])
    }

    /// One light-enhancement curve step `x + r·(x·x − x)`, as multiplications and
    /// additions (no `Pow`), in the order Lumen and the reference code compute it.
    public mutating func curveStep(_ x: String, _ r: String) -> String {
        add(x, mul(r, sub(mul(x, x), x)))
    }
}
