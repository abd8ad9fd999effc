import LumenNN
import LumenTensor

/// SCI, self-calibrated illumination learning (Ma et al., CVPR 2022,
/// https://arxiv.org/abs/2204.10137), inference network.
///
/// One illumination stage: `in_conv` (3x3 conv + ReLU), a residual block
/// (3x3 conv + batch-norm + ReLU) added `layers` times with shared weights,
/// `out_conv` (3x3 conv + sigmoid); illumination `i = clamp(fea + x, 1e-4, 1)`,
/// output `clamp(x / i, 0, 1)`. Port of `EnhanceNetwork` and `Finetunemodel` in the
/// official `SCI/model.py`. The calibration network is used only in training.
public final class SCI: Module, TensorEnhancer, @unchecked Sendable {
    /// The outputs of the reference implementation.
    public struct Output {
        /// The estimated illumination `[N, 3, H, W]` in `[1e-4, 1]`.
        public let illumination: Tensor
        /// The enhanced image `x / illumination`, clamped to `[0, 1]`.
        public let enhanced: Tensor
    }

    package let inConv: Conv2d
    package let blockConv: Conv2d
    package let blockNorm: BatchNorm2d
    package let outConv: Conv2d
    /// How many times the shared residual block is applied (1 officially).
    public let layers: Int

    /// Creates a randomly initialised network with `channels` feature channels (3 officially).
    public init(channels: Int = 3, layers: Int = 1, using generator: inout some RandomNumberGenerator) {
        inConv = Conv2d(inputChannels: 3, outputChannels: channels, kernelSize: 3, padding: 1, using: &generator)
        blockConv = Conv2d(inputChannels: channels, outputChannels: channels, kernelSize: 3, padding: 1, using: &generator)
        blockNorm = BatchNorm2d(featureCount: channels)
        outConv = Conv2d(inputChannels: channels, outputChannels: 3, kernelSize: 3, padding: 1, using: &generator)
        self.layers = layers
        super.init()
        eval()
    }

    /// The illumination estimate for `image` `[N, 3, H, W]`.
    public func illumination(_ image: Tensor) -> Tensor {
        Self.illumination(image, residual: outConv(features(image).last!))
    }

    /// The ReLU features the int8 quantiser calibrates on: `in_conv`'s, then the
    /// running sum after each of the `layers` residual blocks (`out_conv` reads the last).
    package func features(_ image: Tensor) -> [Tensor] {
        var features = [inConv(image).relu()]
        for _ in 0..<layers { features.append(features.last! + blockNorm(blockConv(features.last!)).relu()) }
        return features
    }

    /// The illumination from `out_conv`'s output (before the sigmoid).
    package static func illumination(_ image: Tensor, residual: Tensor) -> Tensor {
        (residual.sigmoid() + image).clamped(min: 1e-4, max: 1)
    }

    /// Runs the network on `image` `[N, 3, H, W]` in `[0, 1]`.
    public func callAsFunction(_ image: Tensor) -> Output { Self.output(image, illumination: illumination(image)) }

    /// The outputs for an illumination estimate of `image`.
    package static func output(_ image: Tensor, illumination: Tensor) -> Output {
        Output(illumination: illumination, enhanced: (image / illumination).clamped(min: 0, max: 1))
    }

    public func enhanced(_ image: Tensor) -> Tensor { self(image).enhanced }

    /// `2 + layers` stacked 3x3 convolutions.
    public var receptiveRadius: Int? { 2 + layers }
}
