import Lumen
import LumenIO
import LumenNN
import LumenTensor

extension ZeroDCE: ONNXExportable {
    /// The seven convolutions, the 24 curve maps split in eight, and the eight curve steps.
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) -> String {
        let x1 = builder.relu(builder.conv(conv1, input, name: "conv1"))
        let x2 = builder.relu(builder.conv(conv2, x1, name: "conv2"))
        let x3 = builder.relu(builder.conv(conv3, x2, name: "conv3"))
        let x4 = builder.relu(builder.conv(conv4, x3, name: "conv4"))
        let x5 = builder.relu(builder.conv(conv5, builder.concatChannels([x3, x4]), name: "conv5"))
        let x6 = builder.relu(builder.conv(conv6, builder.concatChannels([x2, x5]), name: "conv6"))
        let curves = builder.tanh(builder.conv(conv7, builder.concatChannels([x1, x6]), name: "conv7"))
        return builder.splitChannels(curves, into: 8, size: 3).reduce(input) { x, r in builder.curveStep(x, r) }
    }
}

extension ZeroDCEPlusPlus: ONNXExportable {
    /// As ``ZeroDCEPlusPlus/enhanced(_:)``: the image padded by edge replication to a
    /// multiple of the scale (computed from its shape, so any size runs), the curve
    /// estimated at 1/scale and resized back with `align_corners`, eight curve steps,
    /// and the result cropped to the input's size.
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) -> String {
        guard scale > 1 else { return emitCurve(into: &builder, input: input, small: input) }
        let step = builder.integers([Int64(scale), Int64(scale)], name: "scale")
        let size = builder.node("Slice", [builder.node("Shape", [input]), builder.integers([2], name: "hw.start"),
                                          builder.integers([4], name: "hw.end")])
        let missing = builder.node("Mod", [builder.sub(step, builder.node("Mod", [size, step])), step])
        let pads = builder.node("Concat", [builder.integers([0, 0, 0, 0, 0, 0], name: "pads.fixed"), missing],
                                attributes: [ONNX.Attribute("axis", .int(0))])
        let padded = builder.node("Pad", [input, pads], attributes: [ONNX.Attribute("mode", .string(Array("edge".utf8)))])
        let factor = 1 / Float(scale)
        let scales = builder.initializer(Tensor(shape: [4], scalars: [1, 1, factor, factor]), name: "downscale")
        let small = builder.node("Resize", [padded, "", scales], attributes: [
            ONNX.Attribute("mode", .string(Array("linear".utf8))),
            ONNX.Attribute("coordinate_transformation_mode", .string(Array("half_pixel".utf8))),
        ])
        let enhanced = emitCurve(into: &builder, input: padded, small: small)
        return builder.node("Slice", [enhanced, builder.integers([0, 0], name: "crop.start"), size,
                                      builder.integers([2, 3], name: "crop.axes")])
    }

    /// The curve map estimated on `small`, resized to `input`'s size when they differ, applied eight times to `input`.
    private func emitCurve(into builder: inout ONNXGraphBuilder, input: String, small: String) -> String {
        func block(_ conv: DepthwiseSeparableConv2d, _ x: String, _ name: String) -> String {
            builder.conv(conv.pointwise, builder.conv(conv.depthwise, x, name: "\(name).depthwise"), name: "\(name).pointwise")
        }
        let x1 = builder.relu(block(conv1, small, "conv1"))
        let x2 = builder.relu(block(conv2, x1, "conv2"))
        let x3 = builder.relu(block(conv3, x2, "conv3"))
        let x4 = builder.relu(block(conv4, x3, "conv4"))
        let x5 = builder.relu(block(conv5, builder.concatChannels([x3, x4]), "conv5"))
        let x6 = builder.relu(block(conv6, builder.concatChannels([x2, x5]), "conv6"))
        var curve = builder.tanh(block(conv7, builder.concatChannels([x1, x6]), "conv7"))
        if small != input {
            curve = builder.node("Resize", [curve, "", "", builder.node("Shape", [input])], attributes: [
                ONNX.Attribute("mode", .string(Array("linear".utf8))),
                ONNX.Attribute("coordinate_transformation_mode", .string(Array("align_corners".utf8))),
            ])
        }
        return (0..<8).reduce(input) { x, _ in builder.curveStep(x, curve) }
    }
}
