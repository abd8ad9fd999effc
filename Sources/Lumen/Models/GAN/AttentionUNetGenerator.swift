import LumenNN
import LumenTensor

/// A U-Net generator guided by an illumination attention map, after EnlightenGAN
/// (Jiang et al., TIP 2021) for low light.
///
/// The attention map is `A = 1 − Y`, the inverted BT.601 luma of the input: dark
/// regions get the most attention. The encoder has `levels` stages of two 3x3
/// convolutions with LeakyReLU 0.2 (and an optional normalisation), each followed
/// by 2x2 max pooling; each decoder stage upsamples bilinearly, convolves, and
/// concatenates the skip features multiplied by the attention map max-pooled to
/// their resolution. A 1x1 convolution gives a log-gain `R`, applied where the
/// attention points: `output = x · exp(R · A)`, clamped to `[0, 1]` only at inference
/// (``enhanced(_:)``), so training sees the gradient everywhere.
///
/// EnlightenGAN adds `R · A` instead. Lumen multiplies, because on dark photos (A near
/// 1) an additive residual brightens by lifting the blacks, and every unpaired run
/// with it came out hazy. A gain keeps black at black.
///
/// Every 3x3 convolution reads its input padded by edge replication rather than
/// zeros: with zero padding the first runs grew a green frame along the image
/// borders, where the network sees black.
///
/// Without normalisation every output pixel depends only on a window of the
/// input, so inference tiles exactly (``receptiveRadius``).
public final class AttentionUNetGenerator: Module, UnaryLayer, @unchecked Sendable {
    package let encoder: [UNetStage]
    package let bottleneck: UNetStage
    package let upConvs: [Conv2d]
    package let decoder: [UNetStage]
    package let head: Conv2d
    /// The number of 2x down-sampling stages; image sides are padded to multiples of `2^levels`.
    public let levels: Int

    /// - Parameters:
    ///   - baseChannels: the width of the first stage; each stage doubles it.
    ///   - levels: down-sampling stages (EnlightenGAN has 4).
    ///   - normalization: after each convolution of a stage (`none` keeps tiling exact).
    public init(baseChannels: Int = 32, levels: Int = 4, normalization: FeatureNormalization = .none,
                using generator: inout some RandomNumberGenerator) {
        precondition(levels >= 1, "an attention U-Net needs at least one level")
        self.levels = levels
        encoder = (0..<levels).map { level in
            UNetStage(inputChannels: level == 0 ? 3 : baseChannels << (level - 1), outputChannels: baseChannels << level,
                      normalization: normalization, using: &generator)
        }
        bottleneck = UNetStage(inputChannels: baseChannels << (levels - 1), outputChannels: baseChannels << levels,
                               normalization: normalization, using: &generator)
        upConvs = (0..<levels).reversed().map { level in
            Conv2d(inputChannels: baseChannels << (level + 1), outputChannels: baseChannels << level, kernelSize: 3,
                   using: &generator)
        }
        decoder = (0..<levels).reversed().map { level in
            UNetStage(inputChannels: baseChannels << (level + 1), outputChannels: baseChannels << level,
                      normalization: normalization, using: &generator)
        }
        head = Conv2d(inputChannels: baseChannels, outputChannels: 3, kernelSize: 1, using: &generator)
    }

    /// The BT.601 luma weights of the attention map, `[1, 3, 1, 1]`.
    package static let lumaWeights = Tensor(shape: [1, 3, 1, 1], scalars: [0.299, 0.587, 0.114])

    /// The attention map `[N, 1, H, W]` of images in `[0, 1]`: one minus their BT.601 luma.
    public static func attention(_ image: Tensor) -> Tensor {
        1 - (image * lumaWeights).sum(axes: [1], keepDimensions: true)
    }

    /// The unclamped output for `[N, 3, H, W]` in `[0, 1]`, sides multiples of `2^levels`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let attention = Self.attention(x)
        var skips: [Tensor] = []
        var y = x
        for stage in encoder {
            y = stage(y)
            skips.append(y)
            y = y.maxPool2d(kernelSize: 2, stride: 2)
        }
        y = bottleneck(y)
        for (index, (upConv, stage)) in zip(upConvs, decoder).enumerated() {
            let level = levels - 1 - index
            let skip = skips[level]
            y = upConv(edgePadded(y.resizedBilinear(height: skip.shape[2], width: skip.shape[3], alignCorners: false)))
                .leakyReLU(negativeSlope: 0.2)
            let levelAttention = level == 0 ? attention
                : attention.maxPool2d(kernelSize: 1 << level, stride: 1 << level)
            y = stage(Tensor.concatenated([y, skip * levelAttention], axis: 1))
        }
        return x * (head(y) * attention).exp()
    }

    /// The generator of the `enlighten-gan` model Lumen ships: base width 8, 3 levels
    /// (134k parameters), no normalisation.
    public static func lowLight(using generator: inout some RandomNumberGenerator) -> AttentionUNetGenerator {
        AttentionUNetGenerator(baseChannels: 8, levels: 3, using: &generator)
    }
}

extension AttentionUNetGenerator: TensorEnhancer {
    /// The enhanced image of `[N, 3, H, W]` in `[0, 1]`, any size, clamped to `[0, 1]`.
    public func enhanced(_ image: Tensor) -> Tensor {
        paddedToMultiple(of: 1 << levels, image) { self($0) }.clamped(min: 0, max: 1)
    }

    /// About `12 · 2^levels` input pixels each way reach an output pixel: two 3x3
    /// convolutions per stage at each scale going down and coming back, and the
    /// poolings and upsamplings between them (76 for 3 levels by that count, whose
    /// margin the tiling test checks).
    public var receptiveRadius: Int? { 12 << levels }

    /// The pooling pattern repeats every `2^levels` pixels.
    public var tileAlignment: Int { 1 << levels }
}

/// `x` with one row and column of edge replication on each side, for a 3x3 convolution.
private func edgePadded(_ x: Tensor) -> Tensor { x.padded(Padding(1), mode: .replicate) }

/// Two 3x3 convolutions on edge-padded input with LeakyReLU 0.2, each followed by a normalisation.
package final class UNetStage: Module, UnaryLayer, @unchecked Sendable {
    package let first: Conv2d
    package let firstNorm: any UnaryLayer
    package let second: Conv2d
    package let secondNorm: any UnaryLayer

    init(inputChannels: Int, outputChannels: Int, normalization: FeatureNormalization,
         using generator: inout some RandomNumberGenerator) {
        first = Conv2d(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 3, using: &generator)
        firstNorm = normalization.layer(channels: outputChannels)
        second = Conv2d(inputChannels: outputChannels, outputChannels: outputChannels, kernelSize: 3, using: &generator)
        secondNorm = normalization.layer(channels: outputChannels)
    }

    package func callAsFunction(_ x: Tensor) -> Tensor {
        let hidden = firstNorm(first(edgePadded(x)).leakyReLU(negativeSlope: 0.2))
        return secondNorm(second(edgePadded(hidden)).leakyReLU(negativeSlope: 0.2))
    }
}

extension AttentionUNetGenerator: CheckpointImportable {
    /// No official checkpoint is imported: Lumen-trained safetensors only.
    public static func importRule(forKey torchKey: String) -> CheckpointKeyRule? { nil }
}
