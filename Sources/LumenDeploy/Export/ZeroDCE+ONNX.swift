import Lumen
import LumenIO
import LumenNN
import LumenTensor

extension ZeroDCE: ONNXExportable {
    /// The seven convolutions, the 24 curve maps split in eight, and the eight curve steps.
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String {
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
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String {
        guard scale > 1 else { return emitCurve(into: &builder, input: input, small: input) }
        let (padded, size) = builder.padded(input, toMultipleOf: scale, mode: "edge")
        let factor = 1 / Float(scale)
        let small = builder.resized(padded, scales: [1, 1, factor, factor], mode: "linear", coordinates: "half_pixel")
        return builder.cropped(emitCurve(into: &builder, input: padded, small: small), to: size)
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
        if small != input { curve = builder.resized(curve, like: input, mode: "linear", coordinates: "align_corners") }
        return (0..<8).reduce(input) { x, _ in builder.curveStep(x, curve) }
    }
}
