import Lumen
import LumenIO
import LumenNN
import LumenTensor

extension MattingUNet: ONNXExportable {
    /// As ``MattingUNet/alpha(_:)``: the front end's correction (when the model has one),
    /// the image padded by edge replication to a multiple of 32, the MobileNetV2-style
    /// encoder, the decoder's bilinear ×2 and fused skips, the sigmoid head, and the
    /// alpha cropped back: `[batch, 1, height, width]`.
    ///
    /// One graph is one model: `lumen matte --low-light auto` chooses between the plain
    /// and the low-light model by the photo's mean brightness, which stays with the
    /// caller (export both and compare the mean with ``MattingPipeline/darkThreshold``).
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String {
        let corrected: String
        switch frontEnd {
        case nil: corrected = input
        case let estimator as IlluminationEstimator: corrected = try estimator.emitCorrection(into: &builder, input: input)
        case let zeroDCE as ZeroDCEPlusPlus where zeroDCE.scale == 1:
            corrected = try zeroDCE.emitONNX(into: &builder, input: input)
        case let other?: throw ONNXExportError("the matting front end \(type(of: other)) has no ONNX graph")
        }
        let (padded, size) = builder.padded(corrected, toMultipleOf: Self.alignment, mode: "edge")
        func convNorm(_ layer: ConvNormActivation, _ x: String, _ name: String) -> String {
            let normalized = builder.batchNorm(layer.norm, builder.conv(layer.conv, x, name: "\(name).conv"), name: "\(name).norm")
            return layer.clampsAtSix ? builder.clip(normalized, min: 0, max: 6) : builder.relu(normalized)
        }
        var features = convNorm(encoder.stem, padded, "encoder.stem")
        var skips: [String] = []
        for (stageIndex, stage) in [encoder.stage1, encoder.stage2, encoder.stage3, encoder.stage4, encoder.stage5].enumerated() {
            for (index, block) in stage.enumerated() {
                features = builder.invertedResidual(block, features, name: "encoder.stage\(stageIndex + 1).\(index)")
            }
            skips.append(features)
        }
        features = skips[4]
        for (index, (block, skip)) in zip(decoder, [skips[3], skips[2], skips[1], skips[0], padded]).enumerated() {
            let up = builder.resized(features, like: skip, mode: "linear", coordinates: "half_pixel")
            features = convNorm(block.fuse, builder.concatChannels([up, skip]), "decoder.\(index).fuse")
        }
        let hidden = builder.relu(builder.conv(head.conv, features, name: "head.conv"))
        return builder.cropped(builder.sigmoid(builder.conv(head.output, hidden, name: "head.output")), to: size)
    }

    public var onnxOutputChannels: Int { 1 }
}

extension IlluminationEstimator {
    /// As ``IlluminationEstimator/corrected(_:)``: the illumination map z from the
    /// convolutions and reflection-padded residual blocks, then `x·z + (1 − z)·0.5`.
    func emitCorrection(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String {
        var features = builder.relu(builder.conv(inputConv, input, name: "frontEnd.inputConv"))
        for (index, block) in blocks.enumerated() { features = try builder.residualBlock(block, features, name: "frontEnd.blocks.\(index)") }
        let z = builder.sigmoid(builder.conv(outputConv, features, name: "frontEnd.outputConv"))
        return builder.add(builder.mul(input, z), builder.mul(builder.sub(builder.scalar(1), z), builder.scalar(0.5)))
    }
}
