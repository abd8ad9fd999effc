import Foundation
import Lumen
import LumenNN
import LumenTensor

/// Paired adversarial enhancement (pix2pix-style, seeds 002 / 004): the ResNet
/// generator maps the low image to the normal one under L1 (weight 1) and SSIM
/// (0.5) against the reference, plus the adversarial loss (0.01 by default,
/// ESRGAN's scale relative to its pixel loss) of a conditional PatchGAN that
/// judges the (low, enhanced) pair, six channels. With VGG19 weights, ESRGAN's
/// perceptual term joins them (weight 0.1, Lumen's choice beside L1 at 1). Sized for CPU training: base
/// width 32, 6 residual blocks (CycleGAN's choice at 128x128), instance norm.
public final class PairedGANRecipe: AdversarialRecipe {
    final class Networks: Module, @unchecked Sendable {
        let generator: ResNetGenerator
        let discriminator: PatchDiscriminator

        init(using random: inout SplitMix64) {
            generator = ResNetGenerator.paired(using: &random)
            discriminator = PatchDiscriminator(inputChannels: 6, baseChannels: 32, layers: 3, normalization: .instance,
                                               using: &random)
        }
    }

    public var shippedGenerator: any CheckpointImportable { networks.generator }
    public let generatorArchitecture = "resnet-generator channels 3 base 32 blocks 6 norm instance"
    let networks: Networks
    public let adversarial: AdversarialOptions
    public let seed: UInt64
    /// VGG19 for the perceptual term, when its weights were given.
    let perceptual: VGG19Features?
    /// The weight of the perceptual term.
    public let perceptualWeight: Float = 0.1
    public let monitor = GANMonitor()
    public var defaultAdversarialWeight: Float { 0.01 }
    public var modelName: String { GANModelKind.paired.rawValue }
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

    public func dataProblem(_ data: TrainingDataSource) -> String? { dataProblem(data, unpaired: false) }

    private func generated(_ input: Tensor) -> Tensor { (networks.generator(input * 2 - 1) + 1) * 0.5 }

    public func generatorPass(_ batch: TrainingBatch, using generator: inout SplitMix64) -> (terms: [LossTerm], judged: [Tensor]) {
        guard let target = batch.target else { preconditionFailure("gan-paired needs targets") }
        let fake = generated(batch.input)
        let discriminator = { (image: Tensor) in self.networks.discriminator(Tensor.concatenated([batch.input, image], axis: 1)) }
        var terms = [LossTerm(name: "l1", value: l1Loss(fake, target), weight: 1),
                     LossTerm(name: "ssim", value: ssimLoss(fake, target), weight: 0.5),
                     LossTerm(name: "adversarial", value: generatorAdversarialLoss(discriminator, fake: fake, real: target),
                              weight: adversarialWeight)]
        if let perceptual {
            terms.append(LossTerm(name: "perceptual", value: perceptualLoss(fake, target, features: perceptual), weight: perceptualWeight))
        }
        return (terms, [fake.detached()])
    }

    public func discriminatorPass(_ batch: TrainingBatch, judged: [Tensor], using generator: inout SplitMix64)
        -> (loss: Tensor, accuracy: (real: Double, fake: Double)) {
        guard let target = batch.target else { preconditionFailure("gan-paired needs targets") }
        let critic = { (image: Tensor) in self.networks.discriminator(Tensor.concatenated([batch.input, image], axis: 1)) }
        let real = critic(target), fake = critic(judged[0])
        let loss = discriminatorLoss(real: real, fake: fake, critic: critic, realImages: target, fakeImages: judged[0],
                                     using: &generator)
        return (loss, adversarial.loss.discriminatorAccuracy(real: real, fake: fake))
    }

    public func enhanced(_ input: Tensor) -> Tensor { withoutGradients { networks.generator.translated(input) } }
}
