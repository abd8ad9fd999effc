import LumenNN
import LumenTensor

/// A depthwise 3x3 convolution (one filter per channel, with bias) followed by a
/// pointwise 1x1 convolution (with bias): Zero-DCE++'s `CSDN_Tem` block.
public final class DepthwiseSeparableConv2d: Module, UnaryLayer, @unchecked Sendable {
    package let depthwise: Conv2d
    package let pointwise: Conv2d

    /// Creates the block mapping `inputChannels` to `outputChannels` at the same resolution.
    public init(inputChannels: Int, outputChannels: Int, using generator: inout some RandomNumberGenerator) {
        depthwise = Conv2d(inputChannels: inputChannels, outputChannels: inputChannels, kernelSize: 3,
                           padding: 1, groups: inputChannels, using: &generator)
        pointwise = Conv2d(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 1, using: &generator)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { pointwise(depthwise(x)) }
}
