import LumenTensor

/// MobileNetV2's inverted residual block (Sandler et al., CVPR 2018): a 1x1
/// expansion by `expansion`, a 3x3 depthwise convolution with `stride`, and a
/// linear 1x1 projection, each followed by batch norm, the first two by ReLU6;
/// the input is added back when the stride is 1 and the channels are unchanged.
/// With expansion 1 the expansion convolution is left out, as in MobileNetV2.
public final class InvertedResidual: Module, UnaryLayer, @unchecked Sendable {
    /// The 1x1 expansion and its norm; `nil` with expansion 1.
    public let expand: Conv2d?, expandNorm: BatchNorm2d?
    public let depthwise: Conv2d, depthwiseNorm: BatchNorm2d
    public let project: Conv2d, projectNorm: BatchNorm2d
    /// Whether the block adds its input to its output.
    public let isResidual: Bool

    public init(inputChannels: Int, outputChannels: Int, stride: Int = 1, expansion: Int = 4,
                using generator: inout some RandomNumberGenerator) {
        precondition(stride == 1 || stride == 2, "inverted residual stride \(stride)")
        let hidden = inputChannels * expansion
        if expansion == 1 {
            (expand, expandNorm) = (nil, nil)
        } else {
            expand = Conv2d(inputChannels: inputChannels, outputChannels: hidden, kernelSize: 1, bias: false, using: &generator)
            expandNorm = BatchNorm2d(featureCount: hidden)
        }
        depthwise = Conv2d(inputChannels: hidden, outputChannels: hidden, kernelSize: 3, stride: Pair(stride), padding: 1,
                           groups: hidden, bias: false, using: &generator)
        depthwiseNorm = BatchNorm2d(featureCount: hidden)
        project = Conv2d(inputChannels: hidden, outputChannels: outputChannels, kernelSize: 1, bias: false, using: &generator)
        projectNorm = BatchNorm2d(featureCount: outputChannels)
        isResidual = stride == 1 && inputChannels == outputChannels
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        var hidden = x
        if let expand, let expandNorm { hidden = expandNorm(expand(hidden)).clamped(min: 0, max: 6) }
        hidden = depthwiseNorm(depthwise(hidden)).clamped(min: 0, max: 6)
        let output = projectNorm(project(hidden))
        return isResidual ? x + output : output
    }
}
