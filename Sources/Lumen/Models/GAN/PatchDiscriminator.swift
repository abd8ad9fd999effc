import LumenNN
import LumenTensor

/// The PatchGAN discriminator of pix2pix and CycleGAN (Isola et al. 2017): 4x4
/// convolutions, `layers` of them with stride 2 doubling the width up to 8x,
/// one more with stride 1, then a 4x4 convolution to one channel. Each of the
/// hidden convolutions is followed by a normalisation (none after the first) and
/// LeakyReLU 0.2. With 3 layers every output sees a 70x70 patch.
///
/// The output is a map of **logits**, one per patch: the seed ends in a sigmoid
/// before `BCELoss`, which saturates; ``AdversarialLoss`` takes logits.
/// Optionally every convolution is spectrally normalised (``SpectralNorm``) and a
/// SAGAN ``SelfAttention`` block follows the second stage.
public final class PatchDiscriminator: Module, UnaryLayer, @unchecked Sendable {
    let convolutions: [any UnaryLayer]
    let norms: [any UnaryLayer]
    let attention: SelfAttention?

    /// - Parameters:
    ///   - inputChannels: 3 for images, 6 for a conditional (input, output) pair.
    ///   - baseChannels: the width of the first convolution (`ndf`, 64).
    ///   - layers: stride-2 stages (3 gives 70x70 patches).
    ///   - normalization: after each hidden convolution but the first.
    ///   - spectralNorm: wraps every convolution in ``SpectralNorm``.
    ///   - selfAttention: adds SAGAN self-attention after the second stage.
    public init(inputChannels: Int = 3, baseChannels: Int = 64, layers: Int = 3,
                normalization: FeatureNormalization = .batch, spectralNorm: Bool = false, selfAttention: Bool = false,
                using generator: inout some RandomNumberGenerator) {
        precondition(layers >= 1, "a PatchGAN discriminator needs at least one stride-2 layer")
        var widths = [inputChannels]
        for index in 0...layers { widths.append(baseChannels << min(index, 3)) }
        widths.append(1)
        var convolutions: [any UnaryLayer] = []
        for index in 0..<(widths.count - 1) {
            let stride = index < layers ? 2 : 1
            let conv = Conv2d(inputChannels: widths[index], outputChannels: widths[index + 1], kernelSize: 4,
                              stride: Pair(stride), padding: 1, using: &generator)
            convolutions.append(spectralNorm ? SpectralNorm(conv, using: &generator) : conv)
        }
        self.convolutions = convolutions
        norms = (0..<(convolutions.count - 1)).map { index in
            index == 0 ? Identity() : normalization.layer(channels: widths[index + 1])
        }
        attention = selfAttention ? SelfAttention(channels: widths[min(2, widths.count - 2)], using: &generator) : nil
    }

    /// The activations after each hidden stage (for feature matching) and, last,
    /// the logits `[N, 1, h, w]`.
    public func features(_ x: Tensor) -> [Tensor] {
        var outputs: [Tensor] = []
        var y = x
        for (index, conv) in convolutions.enumerated() {
            y = conv(y)
            if index < norms.count {
                y = norms[index](y).leakyReLU(negativeSlope: 0.2)
                if index == 1, let attention { y = attention(y) }
            }
            outputs.append(y)
        }
        return outputs
    }

    /// The logits `[N, 1, h, w]`, one per patch.
    public func callAsFunction(_ x: Tensor) -> Tensor { features(x).last! }
}

/// EnlightenGAN's pair of discriminators: a global one on the whole image and a
/// local one on random square patches of it, so that locally over- or
/// under-exposed regions are judged on their own.
public final class GlobalLocalDiscriminator: Module, @unchecked Sendable {
    /// Judges whole images.
    public let global: PatchDiscriminator
    /// Judges patches.
    public let local: PatchDiscriminator
    /// The side of the local patches (EnlightenGAN: 32).
    public let patchSize: Int
    /// Patches per image (EnlightenGAN: 5).
    public let patchCount: Int

    public init(baseChannels: Int = 64, patchSize: Int = 32, patchCount: Int = 5, normalization: FeatureNormalization = .none,
                spectralNorm: Bool = true, using generator: inout some RandomNumberGenerator) {
        global = PatchDiscriminator(baseChannels: baseChannels, layers: 4, normalization: normalization,
                                    spectralNorm: spectralNorm, using: &generator)
        local = PatchDiscriminator(baseChannels: baseChannels, layers: 2, normalization: normalization,
                                   spectralNorm: spectralNorm, using: &generator)
        self.patchSize = patchSize
        self.patchCount = patchCount
    }

    /// Top-left corners of `patchCount` patches per image of a batch of `height x width`.
    public func patchCorners(height: Int, width: Int, batch: Int,
                             using generator: inout some RandomNumberGenerator) -> [(row: Int, column: Int)] {
        precondition(height >= patchSize && width >= patchSize, "\(height)x\(width) images are smaller than \(patchSize)-pixel patches")
        return (0..<(batch * patchCount)).map { _ in
            (Int.random(in: 0...(height - patchSize), using: &generator), Int.random(in: 0...(width - patchSize), using: &generator))
        }
    }

    /// The patches of `images` at `corners` (from ``patchCorners(height:width:batch:using:)``),
    /// `[N · patchCount, C, patchSize, patchSize]`.
    public func patches(of images: Tensor, at corners: [(row: Int, column: Int)]) -> Tensor {
        let batch = images.shape[0]
        precondition(corners.count == batch * patchCount, "\(corners.count) corners for \(batch) images")
        return Tensor.concatenated(corners.enumerated().map { index, corner in
            images.sliced(axis: 0, range: (index / patchCount)..<(index / patchCount + 1))
                .sliced(axis: 2, range: corner.row..<(corner.row + patchSize))
                .sliced(axis: 3, range: corner.column..<(corner.column + patchSize))
        }, axis: 0)
    }
}
