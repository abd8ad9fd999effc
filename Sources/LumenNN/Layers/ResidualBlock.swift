import LumenTensor

/// The residual block of the CycleGAN / pix2pix ResNet generator (Johnson et al.
/// 2016): `y = x + norm(conv(pad(relu(norm(conv(pad(x)))))))`, both convolutions
/// 3x3 on reflection-padded input, channels unchanged.
public final class ResidualBlock: Module, UnaryLayer, @unchecked Sendable {
    /// The first 3x3 convolution.
    public let first: Conv2d
    /// The normalisation after it.
    public let firstNorm: any UnaryLayer
    /// The second 3x3 convolution.
    public let second: Conv2d
    /// The normalisation after it.
    public let secondNorm: any UnaryLayer

    /// Creates a block of `channels` channels.
    /// - Parameter normalization: makes the layer after each convolution (instance
    ///   norm without affine parameters, CycleGAN's default, whose convolutions then
    ///   keep their bias as CycleGAN's do).
    public init(channels: Int, normalization: (Int) -> any UnaryLayer = { InstanceNorm2d(featureCount: $0) },
                using generator: inout some RandomNumberGenerator) {
        first = Conv2d(inputChannels: channels, outputChannels: channels, kernelSize: 3, using: &generator)
        firstNorm = normalization(channels)
        second = Conv2d(inputChannels: channels, outputChannels: channels, kernelSize: 3, using: &generator)
        secondNorm = normalization(channels)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let hidden = firstNorm(first(x.padded(Padding(1), mode: .reflect))).relu()
        return x + secondNorm(second(hidden.padded(Padding(1), mode: .reflect)))
    }
}
