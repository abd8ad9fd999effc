import Lumen

extension SCI: ONNXExportable {
    /// The illumination estimate (convolutions, the residual blocks sharing one
    /// convolution and batch norm, a sigmoid, plus the image, clamped to [1e-4, 1]),
    /// then the image divided by it, clamped to [0, 1].
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String {
        var features = builder.relu(builder.conv(inConv, input, name: "inConv"))
        for layer in 0..<layers {
            let block = builder.relu(builder.batchNorm(blockNorm, builder.conv(blockConv, features, name: "blockConv.\(layer)"),
                                                       name: "blockNorm.\(layer)"))
            features = builder.add(features, block)
        }
        let illumination = builder.clip(builder.add(builder.sigmoid(builder.conv(outConv, features, name: "outConv")), input),
                                        min: 1e-4, max: 1)
        return builder.clip(builder.div(input, illumination), min: 0, max: 1)
    }
}
