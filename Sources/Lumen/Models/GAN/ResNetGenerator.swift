import LumenNN
import LumenTensor

/// The ResNet generator of CycleGAN and seeds 002 / 004 (Johnson et al. 2016;
/// Zhu et al. 2017): a 7x7 convolution on reflection-padded input, two stride-2
/// 3x3 down-sampling convolutions, residual blocks at 4x the base width, two
/// stride-2 transposed convolutions back up, a 7x7 convolution to RGB and one
/// tanh. The seed applies tanh twice, which squeezes the output into
/// `[-0.76, 0.76]`; here it is applied once.
///
/// The network works on images in `[-1, 1]`; ``translated(_:)`` maps `[0, 1]`
/// images through it and back. Its sides must be multiples of 4, and
/// ``translated(_:)`` pads by reflection and crops to allow any size.
public final class ResNetGenerator: Module, UnaryLayer, @unchecked Sendable {
    package let head: Conv2d
    package let headNorm: any UnaryLayer
    package let down: [Conv2d]
    package let downNorms: [any UnaryLayer]
    package let blocks: [ResidualBlock]
    package let up: [ConvTranspose2d]
    package let upNorms: [any UnaryLayer]
    package let tail: Conv2d

    /// - Parameters:
    ///   - baseChannels: the width after the first convolution (CycleGAN's `ngf`, 64).
    ///   - residualBlocks: 9 for 256x256 training (CycleGAN), 6 for 128x128.
    ///   - normalization: after every convolution but the last (instance norm in CycleGAN).
    public init(channels: Int = 3, baseChannels: Int = 64, residualBlocks: Int = 9,
                normalization: FeatureNormalization = .instance, using generator: inout some RandomNumberGenerator) {
        head = Conv2d(inputChannels: channels, outputChannels: baseChannels, kernelSize: 7, using: &generator)
        headNorm = normalization.layer(channels: baseChannels)
        down = (0..<2).map { level in
            Conv2d(inputChannels: baseChannels << level, outputChannels: baseChannels << (level + 1), kernelSize: 3,
                   stride: 2, padding: 1, using: &generator)
        }
        downNorms = (0..<2).map { normalization.layer(channels: baseChannels << ($0 + 1)) }
        blocks = (0..<residualBlocks).map { _ in
            ResidualBlock(channels: baseChannels * 4, normalization: { normalization.layer(channels: $0) }, using: &generator)
        }
        up = (0..<2).map { level in
            ConvTranspose2d(inputChannels: baseChannels << (2 - level), outputChannels: baseChannels << (1 - level),
                            kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, using: &generator)
        }
        upNorms = (0..<2).map { normalization.layer(channels: baseChannels << (1 - $0)) }
        tail = Conv2d(inputChannels: baseChannels, outputChannels: channels, kernelSize: 7, using: &generator)
    }

    /// The network on `[N, C, H, W]` in `[-1, 1]`, H and W multiples of 4; output in `(-1, 1)`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var y = headNorm(head(x.padded(Padding(3), mode: .reflect))).relu()
        for (conv, norm) in zip(down, downNorms) { y = norm(conv(y)).relu() }
        for block in blocks { y = block(y) }
        for (conv, norm) in zip(up, upNorms) { y = norm(conv(y)).relu() }
        return tail(y.padded(Padding(3), mode: .reflect)).tanh()
    }

    /// The translated image of `[N, C, H, W]` in `[0, 1]`, any size, in `[0, 1]`.
    public func translated(_ image: Tensor) -> Tensor {
        paddedToMultiple(of: 4, image) { (self($0 * 2 - 1) + 1) * 0.5 }
    }
}

/// Applies `body` to `image` padded by reflection on the bottom and right to
/// multiples of `multiple`, and crops its output back to the image's size.
func paddedToMultiple(of multiple: Int, _ image: Tensor, _ body: (Tensor) -> Tensor) -> Tensor {
    let (height, width) = (image.shape[2], image.shape[3])
    let bottom = (multiple - height % multiple) % multiple, right = (multiple - width % multiple) % multiple
    guard bottom > 0 || right > 0 else { return body(image) }
    let mode: PaddingMode = bottom < height && right < width ? .reflect : .replicate
    let output = body(image.padded(Padding(top: 0, bottom: bottom, left: 0, right: right), mode: mode))
    return output.sliced(axis: 2, range: 0..<height).sliced(axis: 3, range: 0..<width)
}

extension ResNetGenerator: CheckpointImportable {
    /// No official checkpoint is imported: Lumen-trained safetensors only.
    public static func importRule(forKey torchKey: String) -> CheckpointKeyRule? { nil }
}

extension ResNetGenerator: TensorEnhancer {
    /// `gan-paired`'s generator, sized for CPUs: base 32, 6 residual blocks, instance norm.
    public static func paired(using generator: inout some RandomNumberGenerator) -> ResNetGenerator {
        ResNetGenerator(baseChannels: 32, residualBlocks: 6, normalization: .instance, using: &generator)
    }

    public func enhanced(_ image: Tensor) -> Tensor { translated(image) }

    /// `nil`: instance norm normalises with statistics of the whole image, so the
    /// generator runs on the whole image.
    public var receptiveRadius: Int? { nil }
}
