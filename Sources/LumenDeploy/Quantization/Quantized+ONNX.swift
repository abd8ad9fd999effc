import Lumen
import LumenIO
import LumenTensor

// int8 models as ONNX graphs in QDQ form: every quantised activation is a
// QuantizeLinear / DequantizeLinear pair with its scale and zero point, every
// weight int8 with a DequantizeLinear per output channel, so that any runtime can
// run them and fuse what it can. The biases stay float, as in Lumen's kernels (a
// dead filter's bias in accumulator units would not fit an int32): ONNX Runtime
// then runs the convolutions in float between the pairs, which gives the int8
// model's values, not its speed.

extension ONNXGraphBuilder {
    /// `x` through its quantisation: QuantizeLinear then DequantizeLinear with `q`'s
    /// scale and uint8 zero point, clipped first when the bytes stop at 127.
    mutating func fakeQuantized(_ x: String, _ q: ActivationQuantization, name: String) -> String {
        var value = x
        if q.maximum < 255 {
            value = clip(x, min: -Float(q.zeroPoint) * q.scale, max: Float(q.maximum - q.zeroPoint) * q.scale)
        }
        let scale = initializer(Tensor(q.scale), name: "\(name).scale")
        initializer(ONNX.Tensor(name: "\(name).zero_point", dims: [], dataType: .uint8, data: [q.zeroPoint]))
        let quantized = node("QuantizeLinear", [value, scale, "\(name).zero_point"], name: "\(name).quantize")
        return node("DequantizeLinear", [quantized, scale, "\(name).zero_point"], name: "\(name).dequantize")
    }

    /// A convolution of `input` with int8 weights dequantised per output channel
    /// (`NAME.weight` int8, `NAME.weight_scale`) and the float bias `NAME.bias`.
    mutating func quantizedConv(_ weights: QuantizedWeights, _ input: String, padding: Int, groups: Int = 1, name: String) -> String {
        initializer(ONNX.Tensor(name: "\(name).weight", dims: weights.shape.map(Int64.init), dataType: .int8,
                                            data: weights.values.map { UInt8(bitPattern: $0) }))
        initializer(ONNX.Tensor(name: "\(name).weight_zero_point", dims: [Int64(weights.outChannels)], dataType: .int8,
                                            data: Array(repeating: 0, count: weights.outChannels)))
        let scales = initializer(Tensor(shape: [weights.outChannels], scalars: weights.scales), name: "\(name).weight_scale")
        let weight = node("DequantizeLinear", ["\(name).weight", scales, "\(name).weight_zero_point"], name: "\(name).weight_dequantize",
                          attributes: [ONNX.Attribute("axis", .int(0))])
        let bias = initializer(Tensor(shape: [weights.outChannels], scalars: weights.bias), name: "\(name).bias")
        let k = Int64(weights.kernelSize), p = Int64(padding)
        return node("Conv", [input, weight, bias], name: name, attributes: [
            ONNX.Attribute("kernel_shape", .ints([k, k])), ONNX.Attribute("pads", .ints([p, p, p, p])),
            ONNX.Attribute("group", .int(Int64(groups))),
        ])
    }
}

extension QuantizedZeroDCE: ONNXExportable {
    /// The seven convolutions between quantisation pairs, tanh, and the eight curve steps on the float image.
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String {
        let layers = try onnxLayers(file, Self.layerNames)
        let (x16, x25, x34) = (concatenations[0], concatenations[1], concatenations[2])
        func conv(_ index: Int, _ x: String, _ q: ActivationQuantization, _ name: String) -> String {
            builder.fakeQuantized(builder.relu(builder.quantizedConv(layers[index], x, padding: 1, name: "conv\(index + 1)")), q, name: name)
        }
        let image = builder.fakeQuantized(input, try onnxActivation(file, "input"), name: "input")
        let x1 = conv(0, image, x16, "x1"), x2 = conv(1, x1, x25, "x2"), x3 = conv(2, x2, x34, "x3"), x4 = conv(3, x3, x34, "x4")
        let x5 = conv(4, builder.concatChannels([x3, x4]), x25, "x5")
        let x6 = conv(5, builder.concatChannels([x2, x5]), x16, "x6")
        let curves = builder.tanh(builder.quantizedConv(layers[6], builder.concatChannels([x1, x6]), padding: 1, name: "conv7"))
        return builder.splitChannels(curves, into: 8, size: 3).reduce(input) { x, r in builder.curveStep(x, r) }
    }
}

extension QuantizedZeroDCEPlusPlus: ONNXExportable {
    /// As the float graph (edge padding to the scale, downsampling, resize back with
    /// `align_corners`, eight curve steps, crop), with each block's depthwise and
    /// pointwise convolutions between quantisation pairs.
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String {
        var padded = input, size: String?, small = input
        if scale > 1 {
            (padded, size) = builder.padded(input, toMultipleOf: scale, mode: "edge")
            let factor = 1 / Float(scale)
            small = builder.resized(padded, scales: [1, 1, factor, factor], mode: "linear", coordinates: "half_pixel")
        }
        let quantization = [concatenations[0], concatenations[1], concatenations[2], concatenations[2], concatenations[1], concatenations[0]]
        var features: [String] = []
        var curve = ""
        for (index, inputs) in Self.blockInputs.enumerated() {
            let name = "conv\(index + 1)"
            let x = inputs[0] < 0 ? builder.fakeQuantized(small, try onnxActivation(file, "input"), name: "input")
                : inputs.count == 1 ? features[inputs[0]] : builder.concatChannels(inputs.map { features[$0] })
            let depthwise = try onnxLayers(file, ["\(name).depthwise"])[0], pointwise = try onnxLayers(file, ["\(name).pointwise"])[0]
            let middle = builder.fakeQuantized(builder.quantizedConv(depthwise, x, padding: 1, groups: depthwise.outChannels, name: "\(name).depthwise"),
                                               try onnxActivation(file, "\(name).depthwise"), name: "\(name).middle")
            let output = builder.quantizedConv(pointwise, middle, padding: 0, name: "\(name).pointwise")
            if index == 6 { curve = builder.tanh(output) } else {
                features.append(builder.fakeQuantized(builder.relu(output), quantization[index], name: "x\(index + 1)"))
            }
        }
        if scale > 1 { curve = builder.resized(curve, like: padded, mode: "linear", coordinates: "align_corners") }
        let enhanced = (0..<8).reduce(padded) { x, _ in builder.curveStep(x, curve) }
        return size.map { builder.cropped(enhanced, to: $0) } ?? enhanced
    }
}

extension QuantizedSCI: ONNXExportable {
    /// The convolutions between quantisation pairs, the residual sums requantised,
    /// then the float sigmoid, illumination and division.
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String {
        let layers = try onnxLayers(file, ["in_conv", "block", "out_conv"])
        let image = builder.fakeQuantized(input, try onnxActivation(file, "input"), name: "input")
        var features = builder.fakeQuantized(builder.relu(builder.quantizedConv(layers[0], image, padding: 1, name: "in_conv")),
                                             features0, name: "features0")
        for (layer, block) in blocks.enumerated() {
            let output = builder.fakeQuantized(builder.relu(builder.quantizedConv(layers[1], features, padding: 1, name: "block.\(layer)")),
                                               block.block, name: "block\(layer + 1)")
            features = builder.fakeQuantized(builder.add(features, output), block.sum, name: "features\(layer + 1)")
        }
        let illumination = builder.clip(builder.add(builder.sigmoid(builder.quantizedConv(layers[2], features, padding: 1, name: "out_conv")),
                                                    input), min: 1e-4, max: 1)
        return builder.clip(builder.div(input, illumination), min: 0, max: 1)
    }
}

/// The stored layers `names` (checked when the model was built).
private func onnxLayers(_ file: QuantizedModelFile, _ names: [String]) throws(ONNXExportError) -> [QuantizedWeights] {
    try names.map { name throws(ONNXExportError) in
        guard let layer = file.layers[name] else { throw ONNXExportError("missing layer \(name)") }
        return layer
    }
}

private func onnxActivation(_ file: QuantizedModelFile, _ name: String) throws(ONNXExportError) -> ActivationQuantization {
    guard let activation = file.activations[name] else { throw ONNXExportError("missing activation \(name)") }
    return activation
}
