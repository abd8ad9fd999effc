import Foundation
import Lumen
import LumenNN
import LumenTensor

/// EnlightenGAN-style unpaired low-light enhancement (Jiang et al., TIP 2021):
/// the ``AttentionUNetGenerator`` brightens dark photos; a global discriminator
/// judges whole images and a local one 5 random 32x32 patches of each, both
/// spectrally normalised, against normal photos.
///
/// EnlightenGAN keeps the content with a VGG feature loss between input and
/// output: with VGG19 weights that is the content term (``perceptualLoss(_:_:features:)``
/// between output and input, weight 1). No ImageNet weights ship with Lumen, so
/// without them the content term is a brightness-invariant structure loss: the Sobel-gradient L1
/// (``gradientLoss(_:_:)``) between the input and the output, each divided by its
/// own mean brightness (weight 1). Lumen adds two of Zero-DCE's priors on the
/// output, with Zero-DCE's weights: colour constancy (5) and exposure control
/// towards 0.6 (10). Without them the first runs let a colour cast through, and
/// the generator either drifted back to its input once the discriminator won
/// (LSGAN) or washed the images out (relativistic). Sized for CPU training and for shipping in the
/// library: base width 8, 3 levels (134k parameters); discriminators of base width 32.
public final class EnlightenGANRecipe: AdversarialRecipe {
    final class Networks: Module, @unchecked Sendable {
        let generator: AttentionUNetGenerator
        let discriminator: GlobalLocalDiscriminator

        init(using random: inout SplitMix64) {
            generator = AttentionUNetGenerator.lowLight(using: &random)
            discriminator = GlobalLocalDiscriminator(baseChannels: 32, using: &random)
        }
    }

    public var shippedGenerator: any CheckpointImportable { networks.generator }
    public let generatorArchitecture = "attention-unet-generator base 8 levels 3 norm none"
    /// The weight of the structure term.
    public let structureWeight: Float = 1
    /// The weight of the colour-constancy term.
    public let colorWeight: Float = 5
    /// The weight of the exposure-control term.
    public let exposureWeight: Float = 10
    let networks: Networks
    public let adversarial: AdversarialOptions
    public let seed: UInt64
    /// VGG19 for the self feature-preserving term, when its weights were given.
    let perceptual: VGG19Features?
    public let monitor = GANMonitor()
    public var defaultAdversarialWeight: Float { 1 }
    public var modelName: String { GANModelKind.enlightenGAN.rawValue }
    public var network: Module { networks }

    public init(seed: UInt64, adversarial: AdversarialOptions, perceptual: VGG19Features? = nil) {
        self.perceptual = perceptual
        var random = SplitMix64(seed: seed)
        networks = Networks(using: &random)
        self.adversarial = adversarial
        self.seed = seed
    }

    public var configuration: [String: String] {
        configuration(perceptual: perceptual)
    }

    public func dataProblem(_ data: TrainingDataSource) -> String? { dataProblem(data, unpaired: true) }

    /// Each image divided by its mean brightness, so only its structure is compared.
    private func brightnessNormalized(_ image: Tensor) -> Tensor { image / (image.mean(axes: [1, 2, 3], keepDimensions: true) + 1e-3) }

    public func generatorPass(_ batch: TrainingBatch, using random: inout SplitMix64) -> (terms: [LossTerm], judged: [Tensor]) {
        guard let normal = batch.target else { preconditionFailure("enlighten-gan needs normal photos beside the dark ones") }
        let discriminator = networks.discriminator
        let fake = networks.generator(batch.input)
        let corners = discriminator.patchCorners(height: fake.shape[2], width: fake.shape[3], batch: fake.shape[0], using: &random)
        let realCorners = discriminator.patchCorners(height: normal.shape[2], width: normal.shape[3], batch: normal.shape[0],
                                                     using: &random)
        let globalLoss = generatorAdversarialLoss(discriminator.global.callAsFunction, fake: fake, real: normal)
        let localLoss = generatorAdversarialLoss(discriminator.local.callAsFunction, fake: discriminator.patches(of: fake, at: corners),
                                                 real: discriminator.patches(of: normal, at: realCorners))
        let content = perceptual.map { LossTerm(name: "self_features", value: perceptualLoss(fake, batch.input, features: $0), weight: 1) }
            ?? LossTerm(name: "structure", value: gradientLoss(brightnessNormalized(fake), brightnessNormalized(batch.input)),
                        weight: structureWeight)
        let judged = withoutGradients { [fake.detached(), discriminator.patches(of: fake.detached(), at: corners),
                                         discriminator.patches(of: normal, at: realCorners)] }
        return ([LossTerm(name: "adversarial_global", value: globalLoss, weight: adversarialWeight),
                 LossTerm(name: "adversarial_local", value: localLoss, weight: adversarialWeight),
                 content, LossTerm(name: "color", value: colorConstancyLoss(fake), weight: colorWeight),
                 LossTerm(name: "exposure", value: exposureControlLoss(fake), weight: exposureWeight)], judged)
    }

    public func discriminatorPass(_ batch: TrainingBatch, judged: [Tensor], using random: inout SplitMix64)
        -> (loss: Tensor, accuracy: (real: Double, fake: Double)) {
        guard let normal = batch.target else { preconditionFailure("enlighten-gan needs normal photos beside the dark ones") }
        let discriminator = networks.discriminator
        let realGlobal = discriminator.global(normal), fakeGlobal = discriminator.global(judged[0])
        let realLocal = discriminator.local(judged[2]), fakeLocal = discriminator.local(judged[1])
        let loss = discriminatorLoss(real: realGlobal, fake: fakeGlobal, critic: discriminator.global.callAsFunction,
                                     realImages: normal, fakeImages: judged[0], using: &random)
            + discriminatorLoss(real: realLocal, fake: fakeLocal, critic: discriminator.local.callAsFunction,
                                realImages: judged[2], fakeImages: judged[1], using: &random)
        return (loss, adversarial.loss.discriminatorAccuracy(real: realGlobal, fake: fakeGlobal))
    }

    public func enhanced(_ input: Tensor) -> Tensor { withoutGradients { networks.generator.enhanced(input) } }
}
