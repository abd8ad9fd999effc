import Lumen
import LumenIO
import LumenNN
import LumenTensor

extension GainUNet: ONNXExportable {
    /// As ``GainUNet/callAsFunction(_:)``: the image padded by edge replication to a
    /// multiple of 4, the two-level U-Net with max pooling and nearest ×2 upsampling,
    /// the global brightness (the mean of the deepest features through the linear
    /// layer, written as a 1x1 convolution, added everywhere), the map cropped back,
    /// then the per-pixel gain or gamma.
    public func emitONNX(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String {
        guard !balancesWhite else {
            throw ONNXExportError("a gain-unet that white-balances its input first has no exact ONNX graph: the gray-world step works on 8-bit levels")
        }
        func block(_ a: Conv2d, _ b: Conv2d, _ x: String, _ name: String) -> String {
            builder.relu(builder.conv(b, builder.relu(builder.conv(a, x, name: "\(name)a")), name: "\(name)b"))
        }
        func upsampled(_ x: String) -> String {
            builder.resized(x, scales: [1, 1, 2, 2], mode: "nearest", coordinates: "asymmetric")
        }
        let (padded, size) = builder.padded(input, toMultipleOf: 4, mode: "edge")
        let full = block(encoder1a, encoder1b, padded, "encoder1")
        let half = block(encoder2a, encoder2b, builder.maxPool(full, size: 2), "encoder2")
        let deepest = block(middleA, middleB, builder.maxPool(half, size: 2), "middle")
        let brightness = builder.relu(builder.pointwiseLinear(global, builder.node("GlobalAveragePool", [deepest]), name: "global"))
        let up2 = upsampled(builder.add(deepest, brightness))
        let decoded2 = block(decoder2a, decoder2b, builder.concatChannels([up2, half]), "decoder2")
        let decoded1 = block(decoder1a, decoder1b, builder.concatChannels([upsampled(decoded2), full]), "decoder1")
        let sigmoid = builder.sigmoid(builder.conv(head, decoded1, name: "head"))
        let span = builder.mul(sigmoid, builder.scalar(mode.range.upperBound - mode.range.lowerBound))
        let map = builder.cropped(builder.add(span, builder.scalar(mode.range.lowerBound)), to: size)
        switch mode {
        case .gain: return builder.clip(builder.mul(input, map), min: 0, max: 1)
        case .gamma: return builder.node("Pow", [builder.clip(input, min: 1e-6, max: 1), map])
        }
    }
}
