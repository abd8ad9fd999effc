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

    /// Declares a float image output; with a `scale` its dimensions are named relative
    /// to the input's (`height*3` for a ×3 upscaler).
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

    /// Adds a constant of any element type (int8 weights, uint8 zero points) and returns its name.
    @discardableResult
    public mutating func initializer(_ tensor: ONNX.Tensor) -> String {
        graph.initializers.append(tensor)
        return tensor.name
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
        let nodeName = name ?? fresh(opType)
        let outputs = outputCount == 1 ? [nodeName] : (0..<outputCount).map { "\(nodeName):\($0)" }
        graph.nodes.append(ONNX.Node(opType: opType, inputs: inputs, outputs: outputs, name: nodeName, attributes: attributes))
        return outputs
    }

    /// A name no other node or constant has: `prefix_N`.
    private mutating func fresh(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)_\(counter)"
    }

    /// Renames the value `name` to `output` by an `Identity` node, so that the graph's
    /// output has the name the contract gives it.
    public mutating func output(_ name: String, as output: String) {
        graph.nodes.append(ONNX.Node(opType: "Identity", inputs: [name], outputs: [output], name: output))
    }

    /// Pads `input` at the bottom and right to a multiple of `multiple`, by `mode`
    /// (`edge` replication or `reflect`ion), with the pads computed from its shape so
    /// that any size runs. Returns the padded value and the input's `[height, width]`
    /// for ``cropped(_:to:)``.
    public mutating func padded(_ input: String, toMultipleOf multiple: Int, mode: String) -> (padded: String, size: String) {
        let prefix = fresh("pad")
        let step = integers([Int64(multiple), Int64(multiple)], name: "\(prefix).multiple")
        let size = spatialSize(of: input)
        let missing = node("Mod", [sub(step, node("Mod", [size, step])), step])
        let pads = node("Concat", [integers([0, 0, 0, 0, 0, 0], name: "\(prefix).fixed"), missing],
                        attributes: [ONNX.Attribute("axis", .int(0))])
        return (node("Pad", [input, pads], attributes: [ONNX.Attribute("mode", .string(Array(mode.utf8)))]), size)
    }

    /// Pads `input` by `amount` pixels on every side by `mode` (`edge`, `reflect`).
    public mutating func padded(_ input: String, by amount: Int, mode: String) -> String {
        let pad = Int64(amount)
        let pads = integers([0, 0, pad, pad, 0, 0, pad, pad], name: "\(fresh("pad")).pads")
        return node("Pad", [input, pads], attributes: [ONNX.Attribute("mode", .string(Array(mode.utf8)))])
    }

    /// The `[height, width]` of an image value, as an int64 tensor computed at run time.
    private mutating func spatialSize(of x: String) -> String {
        let prefix = fresh("size")
        return node("Slice", [node("Shape", [x]), integers([2], name: "\(prefix).start"), integers([4], name: "\(prefix).end")])
    }

    /// The top-left `size` (`[height, width]`) of an image.
    public mutating func cropped(_ x: String, to size: String) -> String {
        let prefix = fresh("crop")
        return node("Slice", [x, integers([0, 0], name: "\(prefix).start"), size, integers([2, 3], name: "\(prefix).axes")])
    }

    /// Bilinear or nearest resize by `scales` (`[1, 1, sy, sx]`) or to the height and
    /// width of `like`, with ONNX's coordinate convention `coordinates`.
    public mutating func resized(_ x: String, scales: [Float]? = nil, like: String? = nil, mode: String, coordinates: String) -> String {
        let prefix = fresh("resize")
        let inputs: [String]
        if let like {
            let batchAndChannels = node("Slice", [node("Shape", [x]), integers([0], name: "\(prefix).start"), integers([2], name: "\(prefix).end")])
            let sizes = node("Concat", [batchAndChannels, spatialSize(of: like)], attributes: [ONNX.Attribute("axis", .int(0))])
            inputs = [x, "", "", sizes]
        } else {
            inputs = [x, "", initializer(Tensor(shape: [4], scalars: scales ?? [1, 1, 1, 1]), name: "\(prefix).scales")]
        }
        var attributes = [ONNX.Attribute("mode", .string(Array(mode.utf8))),
                          ONNX.Attribute("coordinate_transformation_mode", .string(Array(coordinates.utf8)))]
        if mode == "nearest" { attributes.append(ONNX.Attribute("nearest_mode", .string(Array("floor".utf8)))) }
        return node("Resize", inputs, attributes: attributes)
    }

    /// Max pooling over `size` x `size` windows at stride `size`.
    public mutating func maxPool(_ x: String, size: Int) -> String {
        node("MaxPool", [x], attributes: [ONNX.Attribute("kernel_shape", .ints([Int64(size), Int64(size)])),
                                          ONNX.Attribute("strides", .ints([Int64(size), Int64(size)]))])
    }

    /// A scalar float constant.
    public mutating func scalar(_ value: Float) -> String {
        initializer(Tensor(value), name: fresh("constant"))
    }

    // MARK: Layers

    /// A convolution with its weights (and bias) as initializers `NAME.weight`, `NAME.bias`.
    public mutating func conv(_ conv: Conv2d, _ input: String, name: String) -> String {
        convolution("Conv", input, weight: conv.weight, bias: conv.bias, stride: conv.stride, padding: conv.padding,
                    dilation: conv.dilation, groups: conv.groups, name: name)
    }

    /// A transposed convolution with its weights (and bias) as initializers
    /// `NAME.weight`, `NAME.bias`; the output padding is explicit, so the output size
    /// follows from the input's as in PyTorch.
    public mutating func convTranspose(_ conv: ConvTranspose2d, _ input: String, name: String) -> String {
        convolution("ConvTranspose", input, weight: conv.weight, bias: conv.bias, stride: conv.stride, padding: conv.padding,
                    dilation: conv.dilation, groups: conv.groups, name: name,
                    extra: [ONNX.Attribute("output_padding", .ints([Int64(conv.outputPadding.first), Int64(conv.outputPadding.second)]))])
    }

    /// A `Conv` or `ConvTranspose` node with symmetric pads.
    private mutating func convolution(_ opType: String, _ input: String, weight: Tensor, bias: Tensor?, stride: Pair, padding: Pair,
                                      dilation: Pair, groups: Int, name: String, extra: [ONNX.Attribute] = []) -> String {
        var inputs = [input, initializer(weight, name: "\(name).weight")]
        if let bias { inputs.append(initializer(bias, name: "\(name).bias")) }
        func pair(_ value: Pair) -> [Int64] { [Int64(value.first), Int64(value.second)] }
        let attributes: [ONNX.Attribute] = [
            ONNX.Attribute("kernel_shape", .ints([Int64(weight.shape[2]), Int64(weight.shape[3])])),
            ONNX.Attribute("strides", .ints(pair(stride))),
            ONNX.Attribute("pads", .ints(pair(padding) + pair(padding))),
            ONNX.Attribute("dilations", .ints(pair(dilation))),
            ONNX.Attribute("group", .int(Int64(groups))),
        ] + extra
        return node(opType, inputs, name: name, attributes: attributes)
    }

    /// The layers of a `Sequential` in order, each named `NAME.layers.INDEX` like its weights.
    /// - Throws: ``ONNXExportError`` naming the first layer ``layer(_:_:name:)`` cannot write.
    public mutating func sequential(_ sequential: Sequential, _ input: String, name: String) throws(ONNXExportError) -> String {
        var x = input
        for (index, layer) in sequential.layers.enumerated() { x = try self.layer(layer, x, name: "\(name).layers.\(index)") }
        return x
    }

    /// One layer of the kinds plain networks are made of: convolutions, transposed
    /// convolutions, batch and instance norm, the activations, and the identity.
    /// - Throws: ``ONNXExportError`` naming a layer of another kind.
    public mutating func layer(_ layer: any UnaryLayer, _ x: String, name: String) throws(ONNXExportError) -> String {
        switch layer {
        case let conv as Conv2d: self.conv(conv, x, name: name)
        case let conv as ConvTranspose2d: convTranspose(conv, x, name: name)
        case let norm as BatchNorm2d: batchNorm(norm, x, name: name)
        case let norm as InstanceNorm2d: instanceNorm(norm, x, name: name)
        case is ReLU: relu(x)
        case let leaky as LeakyReLU: leakyReLU(x, slope: leaky.negativeSlope)
        case is Sigmoid: sigmoid(x)
        case is Tanh: tanh(x)
        case is Identity: x
        default: throw ONNXExportError("\(name) is a \(type(of: layer)), which has no ONNX form in Lumen's exporter")
        }
    }

    /// CycleGAN's residual block: `x + norm(conv(pad(relu(norm(conv(pad(x)))))))`, with
    /// reflection padding.
    /// - Throws: ``ONNXExportError`` for a normalisation ``layer(_:_:name:)`` cannot write.
    public mutating func residualBlock(_ block: ResidualBlock, _ x: String, name: String) throws(ONNXExportError) -> String {
        let first = conv(block.first, padded(x, by: 1, mode: "reflect"), name: "\(name).first")
        let hidden = relu(try layer(block.firstNorm, first, name: "\(name).firstNorm"))
        let second = conv(block.second, padded(hidden, by: 1, mode: "reflect"), name: "\(name).second")
        return add(x, try layer(block.secondNorm, second, name: "\(name).secondNorm"))
    }

    /// MobileNetV2's inverted residual block: the expansion, the depthwise convolution
    /// (each with batch norm and ReLU6 as a clip), the projection with batch norm, and
    /// the input added back when the block is residual.
    public mutating func invertedResidual(_ block: InvertedResidual, _ x: String, name: String) -> String {
        var hidden = x
        if let expand = block.expand, let norm = block.expandNorm {
            hidden = clip(batchNorm(norm, conv(expand, hidden, name: "\(name).expand"), name: "\(name).expandNorm"), min: 0, max: 6)
        }
        hidden = clip(batchNorm(block.depthwiseNorm, conv(block.depthwise, hidden, name: "\(name).depthwise"),
                                name: "\(name).depthwiseNorm"), min: 0, max: 6)
        let output = batchNorm(block.projectNorm, conv(block.project, hidden, name: "\(name).project"), name: "\(name).projectNorm")
        return block.isResidual ? add(x, output) : output
    }

    /// A linear layer on `[N, C, 1, 1]` features, written as a 1x1 convolution.
    public mutating func pointwiseLinear(_ linear: Linear, _ input: String, name: String) -> String {
        let shape = linear.weight.shape
        var inputs = [input, initializer(linear.weight.reshaped([shape[0], shape[1], 1, 1]), name: "\(name).weight")]
        if let bias = linear.bias { inputs.append(initializer(bias, name: "\(name).bias")) }
        return node("Conv", inputs, name: name, attributes: [ONNX.Attribute("kernel_shape", .ints([1, 1]))])
    }

    /// Batch norm in evaluation mode, with its running statistics (a missing
    /// affine weight or bias is written as ones or zeros).
    public mutating func batchNorm(_ norm: BatchNorm2d, _ input: String, name: String) -> String {
        let count = norm.runningMean.value.shape[0]
        let inputs = [
            input,
            initializer(norm.weight ?? Tensor(repeating: 1, shape: [count]), name: "\(name).weight"),
            initializer(norm.bias ?? Tensor(zeros: [count]), name: "\(name).bias"),
            initializer(norm.runningMean.value, name: "\(name).runningMean"),
            initializer(norm.runningVariance.value, name: "\(name).runningVariance"),
        ]
        return node("BatchNormalization", inputs, name: name, attributes: [ONNX.Attribute("epsilon", .float(norm.epsilon))])
    }

    /// Instance norm over each image's channels; a norm without affine parameters is
    /// written with ones and zeros, which ONNX requires.
    public mutating func instanceNorm(_ norm: InstanceNorm2d, _ input: String, name: String) -> String {
        let count = norm.featureCount
        let inputs = [
            input,
            initializer(norm.weight ?? Tensor(repeating: 1, shape: [count]), name: "\(name).weight"),
            initializer(norm.bias ?? Tensor(zeros: [count]), name: "\(name).bias"),
        ]
        return node("InstanceNormalization", inputs, name: name, attributes: [ONNX.Attribute("epsilon", .float(norm.epsilon))])
    }

    /// `min(max(x, low), high)`.
    public mutating func clip(_ x: String, min low: Float, max high: Float) -> String {
        let bounds = fresh("clip")
        return node("Clip", [x, initializer(Tensor(low), name: "\(bounds).min"), initializer(Tensor(high), name: "\(bounds).max")])
    }

    public mutating func relu(_ x: String) -> String { node("Relu", [x]) }

    public mutating func tanh(_ x: String) -> String { node("Tanh", [x]) }

    public mutating func leakyReLU(_ x: String, slope: Float) -> String {
        node("LeakyRelu", [x], attributes: [ONNX.Attribute("alpha", .float(slope))])
    }

    public mutating func exp(_ x: String) -> String { node("Exp", [x]) }

    public mutating func sigmoid(_ x: String) -> String { node("Sigmoid", [x]) }

    public mutating func add(_ a: String, _ b: String) -> String { node("Add", [a, b]) }

    public mutating func sub(_ a: String, _ b: String) -> String { node("Sub", [a, b]) }

    public mutating func mul(_ a: String, _ b: String) -> String { node("Mul", [a, b]) }

    public mutating func div(_ a: String, _ b: String) -> String { node("Div", [a, b]) }

    /// Concatenation along the channels.
    public mutating func concatChannels(_ values: [String]) -> String {
        node("Concat", values, attributes: [ONNX.Attribute("axis", .int(1))])
    }

    /// Splits the channels into equal parts (opset 13 and later take the sizes as an input).
    public mutating func splitChannels(_ x: String, into count: Int, size: Int) -> [String] {
        let sizes = integers(Array(repeating: Int64(size), count: count), name: "\(fresh("split")).sizes")
        return node("Split", [x, sizes], outputCount: count, attributes: [ONNX.Attribute("axis", .int(1))])
    }

    /// PyTorch's `PixelShuffle(factor)`: `DepthToSpace` in its channel-row-column (CRD) order.
    public mutating func pixelShuffle(_ x: String, factor: Int) -> String {
        node("DepthToSpace", [x], attributes: [ONNX.Attribute("blocksize", .int(Int64(factor))),
                                               ONNX.Attribute("mode", .string(Array("CRD".utf8)))])
    }

    /// One light-enhancement curve step `x + r·(x·x − x)`, as multiplications and
    /// additions (no `Pow`), in the order Lumen and the reference code compute it.
    public mutating func curveStep(_ x: String, _ r: String) -> String {
        add(x, mul(r, sub(mul(x, x), x)))
    }
}
