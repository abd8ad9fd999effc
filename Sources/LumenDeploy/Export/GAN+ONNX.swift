import Lumen
import LumenIO
import LumenNN
import LumenTensor

extension AttentionUNetGenerator: ONNXExportable {
    /// As ``AttentionUNetGenerator/enhanced(_:)``: the image padded by reflection to a
    /// multiple of `2^levels`, the attention map `1 − Y` (the luma as a 1x1 convolution),
    /// the U-Net with edge-padded convolutions, max pooling and bilinear upsampling,
    /// the skips weighted by the pooled attention, the gain `x · exp(R · A)`, the crop
    /// back and the clip to `[0, 1]`.
    ///
    /// Lumen pads an image whose side is not longer than the padding by replication
    /// instead; the graph always reflects, so ONNX runtimes refuse such tiny images
    /// (sides of at most `2^levels / 2` pixels) rather than choose at run time.
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String {
        let (x, size) = builder.padded(input, toMultipleOf: 1 << levels, mode: "reflect")
        let luma = builder.node("Conv", [x, builder.initializer(Self.lumaWeights, name: "attention.luma")],
                                attributes: [ONNX.Attribute("kernel_shape", .ints([1, 1]))])
        let attention = builder.sub(builder.scalar(1), luma)
        func stage(_ stage: UNetStage, _ x: String, _ name: String) throws(ONNXExportError) -> String {
            let first = builder.leakyReLU(builder.conv(stage.first, builder.padded(x, by: 1, mode: "edge"), name: "\(name).first"), slope: 0.2)
            let hidden = try builder.layer(stage.firstNorm, first, name: "\(name).firstNorm")
            let second = builder.leakyReLU(builder.conv(stage.second, builder.padded(hidden, by: 1, mode: "edge"), name: "\(name).second"), slope: 0.2)
            return try builder.layer(stage.secondNorm, second, name: "\(name).secondNorm")
        }
        var skips: [String] = []
        var y = x
        for (index, encoderStage) in encoder.enumerated() {
            y = try stage(encoderStage, y, "encoder.\(index)")
            skips.append(y)
            y = builder.maxPool(y, size: 2)
        }
        y = try stage(bottleneck, y, "bottleneck")
        for (index, (upConv, decoderStage)) in zip(upConvs, decoder).enumerated() {
            let level = levels - 1 - index, skip = skips[level]
            let upsampled = builder.resized(y, like: skip, mode: "linear", coordinates: "half_pixel")
            y = builder.leakyReLU(builder.conv(upConv, builder.padded(upsampled, by: 1, mode: "edge"), name: "upConvs.\(index)"), slope: 0.2)
            let levelAttention = level == 0 ? attention : builder.maxPool(attention, size: 1 << level)
            y = try stage(decoderStage, builder.concatChannels([y, builder.mul(skip, levelAttention)]), "decoder.\(index)")
        }
        let gain = builder.exp(builder.mul(builder.conv(head, y, name: "head"), attention))
        return builder.clip(builder.cropped(builder.mul(x, gain), to: size), min: 0, max: 1)
    }
}

extension ResNetGenerator: ONNXExportable {
    /// As ``ResNetGenerator/translated(_:)``: the image padded by reflection to a multiple
    /// of 4 and mapped to `[-1, 1]`, the 7x7 head on reflection-padded input, the two
    /// stride-2 convolutions, the residual blocks, the two transposed convolutions, the
    /// 7x7 tail and tanh, mapped back to `[0, 1]` and cropped.
    ///
    /// As for the attention U-Net, the graph always reflects, so runtimes refuse images
    /// with a side under 3 pixels, which Lumen pads by replication.
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String {
        let (padded, size) = builder.padded(input, toMultipleOf: 4, mode: "reflect")
        let x = builder.sub(builder.mul(padded, builder.scalar(2)), builder.scalar(1))
        var y = builder.relu(try builder.layer(headNorm, builder.conv(head, builder.padded(x, by: 3, mode: "reflect"), name: "head"),
                                               name: "headNorm"))
        for (index, (conv, norm)) in zip(down, downNorms).enumerated() {
            y = builder.relu(try builder.layer(norm, builder.conv(conv, y, name: "down.\(index)"), name: "downNorms.\(index)"))
        }
        for (index, block) in blocks.enumerated() { y = try builder.residualBlock(block, y, name: "blocks.\(index)") }
        for (index, (conv, norm)) in zip(up, upNorms).enumerated() {
            y = builder.relu(try builder.layer(norm, builder.convTranspose(conv, y, name: "up.\(index)"), name: "upNorms.\(index)"))
        }
        let output = builder.tanh(builder.conv(tail, builder.padded(y, by: 3, mode: "reflect"), name: "tail"))
        return builder.cropped(builder.mul(builder.add(output, builder.scalar(1)), builder.scalar(0.5)), to: size)
    }
}
