import LumenNN
import LumenTensor

/// Lumen's trimap-free matting model (seed 001's "CV-UNet", whose architecture is
/// not published): a U-Net with a light MobileNetV2-style encoder and a sigmoid
/// alpha head, optionally behind a low-light front end.
///
/// - **Front end** (optional, `frontEnd.`): ``IlluminationEstimator`` (the seed's)
///   or Zero-DCE++ at scale 1; the network sees its corrected image.
/// - **Encoder** (`encoder.`): a 3x3 stride-2 stem and five stages of
///   ``InvertedResidual`` blocks at 1/2, 1/4, 1/8, 1/16 and 1/32 of the size, with
///   `w, 1.5w, 2w, 4w, 6w` channels (w = `width`, 16 by default).
/// - **Decoder** (`decoder.`): at each level, bilinear ×2, the skip of that level
///   concatenated (the input image at full size), a 3x3 convolution, batch norm
///   and ReLU.
/// - **Head** (`head.`): a 3x3 convolution with ReLU, a 1x1 convolution to one
///   channel and a sigmoid.
///
/// Images are padded by edge replication to a multiple of 32 and the alpha
/// cropped back, so any size works. In evaluation mode every layer is local (batch
/// norm uses its running statistics), so tiled inference is exact with a halo of
/// ``receptiveRadius``.
public final class MattingUNet: Module, @unchecked Sendable {
    /// The model's outputs.
    public struct Output {
        /// The alpha matte `[N, 1, H, W]` in `(0, 1)`.
        public let alpha: Tensor
        /// What the U-Net saw: the front end's corrected image, or the input.
        public let corrected: Tensor
    }

    /// The low-light front end, or `nil` for the plain model.
    public let frontEnd: (any MattingFrontEnd)?
    public let encoder: MattingEncoder
    package let decoder: [MattingDecoderBlock]
    package let head: MattingHead

    /// The downsampling of the deepest stage: sizes are padded to a multiple of it.
    public static let alignment = 32

    /// Creates a randomly initialised network.
    public init(width: Int = 16, frontEnd: (any MattingFrontEnd)? = nil, using generator: inout some RandomNumberGenerator) {
        self.frontEnd = frontEnd
        encoder = MattingEncoder(width: width, using: &generator)
        let channels = encoder.channels
        // From the deepest level up: (channels below + skip channels) -> the skip level's channels.
        var blocks: [MattingDecoderBlock] = []
        var below = channels[4]
        for level in stride(from: 3, through: 0, by: -1) {
            blocks.append(MattingDecoderBlock(inputChannels: below + channels[level], outputChannels: channels[level],
                                              using: &generator))
            below = channels[level]
        }
        blocks.append(MattingDecoderBlock(inputChannels: below + 3, outputChannels: channels[0], using: &generator))
        decoder = blocks
        head = MattingHead(channels: channels[0], using: &generator)
    }

    /// Runs the model on `image` `[N, 3, H, W]` in `[0, 1]`.
    public func callAsFunction(_ image: Tensor) -> Output {
        let (height, width) = (image.shape[2], image.shape[3])
        let corrected = frontEnd?.corrected(image) ?? image
        let alignment = Self.alignment
        let padded = corrected.padded(Padding(top: 0, bottom: (alignment - height % alignment) % alignment,
                                              left: 0, right: (alignment - width % alignment) % alignment), mode: .replicate)
        let skips = encoder(padded)
        var features = skips[4]
        for (block, skip) in zip(decoder, [skips[3], skips[2], skips[1], skips[0], padded]) {
            features = block(features, skip: skip)
        }
        let alpha = head(features).sliced(axis: 2, range: 0..<height).sliced(axis: 3, range: 0..<width)
        return Output(alpha: alpha, corrected: corrected)
    }

    /// The alpha matte `[N, 1, H, W]` of `image`.
    public func alpha(_ image: Tensor) -> Tensor { self(image).alpha }

    /// How far an alpha pixel sees, in input pixels, rounded up to the alignment:
    /// 203 through the deepest path (stem 1, stages 2 + 6 + 12 + 40 + 48, the
    /// decoder's upsampling and convolutions 94) plus the front end's radius.
    public var receptiveRadius: Int {
        let radius = 203 + (frontEnd?.correctionRadius ?? 0)
        return (radius + Self.alignment - 1) / Self.alignment * Self.alignment
    }

    /// ``alpha(_:)`` tile by tile, equal to the whole-image result in evaluation
    /// mode: memory stays that of one tile with its halo.
    public func alphaInTiles(_ image: Tensor, tileSize: Int, progress: (Int, Int) -> Void = { _, _ in }) -> Tensor {
        TiledInference(tileSize: tileSize).run(on: image, halo: receptiveRadius, alignment: Self.alignment,
                                               progress: progress) { alpha($0) }
    }
}

/// A convolution, batch norm and an activation: the stem and the decoder's layers.
package final class ConvNormActivation: Module, UnaryLayer, @unchecked Sendable {
    package let conv: Conv2d
    package let norm: BatchNorm2d
    package let clampsAtSix: Bool

    init(_ input: Int, _ output: Int, stride: Int = 1, clampsAtSix: Bool, using generator: inout some RandomNumberGenerator) {
        conv = Conv2d(inputChannels: input, outputChannels: output, kernelSize: 3, stride: Pair(stride), padding: 1,
                      bias: false, using: &generator)
        norm = BatchNorm2d(featureCount: output)
        self.clampsAtSix = clampsAtSix
    }

    package func callAsFunction(_ x: Tensor) -> Tensor {
        let normalized = norm(conv(x))
        return clampsAtSix ? normalized.clamped(min: 0, max: 6) : normalized.relu()
    }
}

/// The encoder: the stem, then stages 1 to 5 at 1/2 ... 1/32 of the size.
public final class MattingEncoder: Module, @unchecked Sendable {
    package let stem: ConvNormActivation
    package let stage1, stage2, stage3, stage4, stage5: [InvertedResidual]
    /// The channels of stages 1 to 5.
    let channels: [Int]

    init(width: Int, using generator: inout some RandomNumberGenerator) {
        let channels = [width, width * 3 / 2, width * 2, width * 4, width * 6]
        self.channels = channels
        stem = ConvNormActivation(3, width, stride: 2, clampsAtSix: true, using: &generator)
        func stage(_ input: Int, _ output: Int, blocks: Int, stride: Int, expansion: Int = 4) -> [InvertedResidual] {
            (0..<blocks).map { index in
                InvertedResidual(inputChannels: index == 0 ? input : output, outputChannels: output,
                                 stride: index == 0 ? stride : 1, expansion: expansion, using: &generator)
            }
        }
        stage1 = stage(width, channels[0], blocks: 1, stride: 1, expansion: 1)
        stage2 = stage(channels[0], channels[1], blocks: 2, stride: 2)
        stage3 = stage(channels[1], channels[2], blocks: 2, stride: 2)
        stage4 = stage(channels[2], channels[3], blocks: 3, stride: 2)
        stage5 = stage(channels[3], channels[4], blocks: 2, stride: 2)
    }

    /// The outputs of stages 1 to 5 of a padded image.
    func callAsFunction(_ image: Tensor) -> [Tensor] {
        var features = stem(image)
        var outputs: [Tensor] = []
        for stage in [stage1, stage2, stage3, stage4, stage5] {
            for block in stage { features = block(features) }
            outputs.append(features)
        }
        return outputs
    }
}

/// One decoder level: bilinear ×2, the skip concatenated, a 3x3 convolution.
package final class MattingDecoderBlock: Module, @unchecked Sendable {
    package let fuse: ConvNormActivation

    init(inputChannels: Int, outputChannels: Int, using generator: inout some RandomNumberGenerator) {
        fuse = ConvNormActivation(inputChannels, outputChannels, clampsAtSix: false, using: &generator)
    }

    func callAsFunction(_ x: Tensor, skip: Tensor) -> Tensor {
        let up = x.resizedBilinear(height: skip.shape[2], width: skip.shape[3], alignCorners: false)
        return fuse(Tensor.concatenated([up, skip], axis: 1))
    }
}

/// The alpha head: 3x3 convolution, ReLU, 1x1 convolution, sigmoid.
package final class MattingHead: Module, @unchecked Sendable {
    package let conv: Conv2d
    package let output: Conv2d

    init(channels: Int, using generator: inout some RandomNumberGenerator) {
        conv = Conv2d(inputChannels: channels, outputChannels: channels, kernelSize: 3, padding: 1, using: &generator)
        output = Conv2d(inputChannels: channels, outputChannels: 1, kernelSize: 1, using: &generator)
    }

    func callAsFunction(_ x: Tensor) -> Tensor { output(conv(x).relu()).sigmoid() }
}
