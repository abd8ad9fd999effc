import Lumen
import LumenIO
import LumenNN
import LumenTensor

extension ESPCN: ONNXExportable {
    /// As ``ESPCN/upscaled(_:)``: three convolutions (tanh between them for the colour
    /// form, ReLU for the luma form), `DepthToSpace` in CRD order, for the luma form a
    /// tanh after it, and the clip to `[0, 1]`.
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String {
        func activated(_ x: String) -> String { variant == .color ? builder.tanh(x) : builder.relu(x) }
        let features = activated(builder.conv(conv2, activated(builder.conv(conv1, input, name: "conv1")), name: "conv2"))
        var image = builder.pixelShuffle(builder.conv(conv3, features, name: "conv3"), factor: scale)
        if variant == .luma { image = builder.tanh(image) }
        return builder.clip(image, min: 0, max: 1)
    }

    public var onnxOutputScale: Int { scale }
    public var onnxInputChannels: Int { channels }
    public var onnxOutputChannels: Int { channels }
}

extension DnCNN: ONNXExportable {
    /// As ``DnCNN/denoised(_:)``: the noise the convolutions predict, subtracted from the input.
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String {
        builder.sub(input, try builder.sequential(model, input, name: "model"))
    }

    public var onnxInputChannels: Int { channels }
    public var onnxOutputChannels: Int { channels }
}

extension DenoisingAutoencoder: ONNXExportable {
    /// As ``DenoisingAutoencoder/denoised(_:)``: the image padded by edge replication
    /// to a multiple of 4 (computed from its shape), the encoder and decoder, and the
    /// result cropped back to the input's size.
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String {
        let (padded, size) = builder.padded(input, toMultipleOf: 4, mode: "edge")
        let encoded = try builder.sequential(encoder, padded, name: "encoder")
        return builder.cropped(try builder.sequential(decoder, encoded, name: "decoder"), to: size)
    }
}
