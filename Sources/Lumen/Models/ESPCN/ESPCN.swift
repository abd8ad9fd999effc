import LumenNN
import LumenTensor

/// ESPCN super-resolution (Shi et al., CVPR 2016, https://arxiv.org/abs/1609.05158):
/// features at the low resolution, then a sub-pixel convolution that lays `scale²`
/// channels out as a `scale`-times larger image.
///
/// `conv1` 5x5 to 64 features, `conv2` 3x3 to 32, `conv3` 3x3 to `channels · scale²`,
/// each with bias and zero padding that keeps the size, then `PixelShuffle(scale)`
/// (PyTorch's channel-row-column order) and a clip to `[0, 1]`. The activation is
/// `tanh` in the seed's RGB/YCbCr form (Nhat-Thanh/ESPCN-Pytorch works on 3-channel
/// full-range YCbCr) and ReLU in the Y-only form of OpenCV's `ESPCN_x*.pb`, which
/// also applies `tanh` after the shuffle.
///
/// The output is `scale` times the input on both axes: a ``TensorRestorer``, not a
/// same-size enhancer.
public final class ESPCN: Module, TensorRestorer, @unchecked Sendable {
    /// The two published forms.
    public enum Variant: Sendable, Equatable {
        /// Three channels in and out, `tanh` between the convolutions (the seed's form).
        case color
        /// Luma only, ReLU between the convolutions, `tanh` after the shuffle (OpenCV's weights).
        case luma
    }

    /// The factor by which height and width grow: 2, 3 or 4 for the published weights.
    public let scale: Int
    public let variant: Variant
    /// How photos become its channels: Nhat-Thanh's YCbCr or RGB for ``Variant/color``,
    /// OpenCV's luma for ``Variant/luma``.
    public let colorModel: RestorationColorModel
    package let conv1, conv2, conv3: Conv2d

    /// Channels in and out: 3 for ``Variant/color``, 1 for ``Variant/luma``.
    public var channels: Int { variant == .color ? 3 : 1 }

    /// Creates a randomly initialised network.
    /// - Parameter colorModel: for ``Variant/color``, `.nhatThanhYCbCr` (the default,
    ///   what the seed's weights expect) or `.rgb`; ``Variant/luma`` always uses `.opencvLuma`.
    public init(scale: Int, variant: Variant = .color, colorModel: RestorationColorModel? = nil,
                using generator: inout some RandomNumberGenerator) {
        precondition(scale >= 1, "ESPCN scale must be at least 1, got \(scale)")
        let chosen = colorModel ?? (variant == .color ? .nhatThanhYCbCr : .opencvLuma)
        precondition(chosen.channels == (variant == .color ? 3 : 1), "ESPCN \(variant) cannot use the \(chosen) colour model")
        (self.scale, self.variant, self.colorModel) = (scale, variant, chosen)
        let channels = variant == .color ? 3 : 1
        conv1 = Conv2d(inputChannels: channels, outputChannels: 64, kernelSize: 5, padding: 2, using: &generator)
        conv2 = Conv2d(inputChannels: 64, outputChannels: 32, kernelSize: 3, padding: 1, using: &generator)
        conv3 = Conv2d(inputChannels: 32, outputChannels: channels * scale * scale, kernelSize: 3, padding: 1, using: &generator)
    }

    /// The output size of an input of `height` x `width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) { (height * scale, width * scale) }

    /// `[N, channels, H, W]` in `[0, 1]` → `[N, channels, H·scale, W·scale]` in `[0, 1]`.
    public func upscaled(_ image: Tensor) -> Tensor {
        precondition(image.shape.rank == 4 && image.shape[1] == channels,
                     "ESPCN (\(variant)) takes [N, \(channels), H, W], got \(image.shape)")
        switch variant {
        case .color:
            let features = conv2(conv1(image).tanh()).tanh()
            return conv3(features).pixelShuffled(upscaleFactor: scale).clamped(min: 0, max: 1)
        case .luma:
            let features = conv2(conv1(image).relu()).relu()
            return conv3(features).pixelShuffled(upscaleFactor: scale).tanh().clamped(min: 0, max: 1)
        }
    }
}

extension ESPCN {
    public var scaleFactor: Int { scale }
    /// 2 pixels for the 5x5 convolution and 1 for each 3x3, at the low resolution.
    public var receptiveRadius: Int { 4 }
    public func restored(_ input: Tensor) -> Tensor { upscaled(input) }
}
