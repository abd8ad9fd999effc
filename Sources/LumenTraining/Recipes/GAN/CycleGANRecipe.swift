import Foundation
import Lumen
import LumenNN
import LumenTensor

/// CycleGAN (Zhu et al., ICCV 2017) between dark photos and normal ones, with no
/// pairs: a generator dark → normal (the one shipped), an inverse generator
/// normal → dark, and a PatchGAN discriminator per domain.
///
/// The generators' loss is the adversarial loss of both translations, plus cycle
/// consistency `‖F(G(x)) − x‖₁ + ‖G(F(y)) − y‖₁` weighted 10 and identity
/// `‖G(y) − y‖₁ + ‖F(x) − x‖₁` weighted 0.5 · 10, as published. Each
/// discriminator sees its domain's real photos against an ``ImagePool`` of 50
/// generated ones; their loss is halved, as CycleGAN does. Sized for CPU
/// training: base width 32, 6 residual blocks (CycleGAN's 128x128 setting),
/// instance norm.
public final class CycleGANRecipe: AdversarialRecipe {
    final class Networks: Module, @unchecked Sendable {
        /// Dark → normal.
        let generator: ResNetGenerator
        /// Normal → dark.
        let inverseGenerator: ResNetGenerator
        /// Judges dark photos.
        let discriminatorDark: PatchDiscriminator
        /// Judges normal photos.
        let discriminatorNormal: PatchDiscriminator

        init(using random: inout SplitMix64) {
            generator = ResNetGenerator(baseChannels: 32, residualBlocks: 6, using: &random)
            inverseGenerator = ResNetGenerator(baseChannels: 32, residualBlocks: 6, using: &random)
            discriminatorDark = PatchDiscriminator(baseChannels: 32, normalization: .instance, using: &random)
            discriminatorNormal = PatchDiscriminator(baseChannels: 32, normalization: .instance, using: &random)
        }
    }

    public var shippedGenerator: any CheckpointImportable { networks.generator }
    public let generatorArchitecture = "resnet-generator channels 3 base 32 blocks 6 norm instance"
    /// Cycle-consistency weight (lambda).
    public let cycleWeight: Float = 10
    /// Identity weight, as a fraction of the cycle weight.
    public let identityFraction: Float = 0.5
    let networks: Networks
    let darkPool = ImagePool(capacity: 50), normalPool = ImagePool(capacity: 50)
    public let adversarial: AdversarialOptions
    public let seed: UInt64
    public let monitor = GANMonitor()
    public var defaultAdversarialWeight: Float { 1 }
    public var modelName: String { GANModelKind.cycleGAN.rawValue }
    public var network: Module { networks }

    public init(seed: UInt64, adversarial: AdversarialOptions) {
        var random = SplitMix64(seed: seed)
        networks = Networks(using: &random)
        self.adversarial = adversarial
        self.seed = seed
    }

    public func dataProblem(_ data: TrainingDataSource) -> String? { dataProblem(data, unpaired: true) }

    /// `[0, 1]` images through a generator working in `[-1, 1]`.
    private func translate(_ generator: ResNetGenerator, _ image: Tensor) -> Tensor { (generator(image * 2 - 1) + 1) * 0.5 }

    public func generatorPass(_ batch: TrainingBatch, using random: inout SplitMix64) -> (terms: [LossTerm], judged: [Tensor]) {
        guard let normal = batch.target else { preconditionFailure("cyclegan needs normal photos beside the dark ones") }
        let dark = batch.input
        let fakeNormal = translate(networks.generator, dark), fakeDark = translate(networks.inverseGenerator, normal)
        let adversarialLoss = generatorAdversarialLoss(networks.discriminatorNormal.callAsFunction, fake: fakeNormal, real: normal)
            + generatorAdversarialLoss(networks.discriminatorDark.callAsFunction, fake: fakeDark, real: dark)
        let cycle = l1Loss(translate(networks.inverseGenerator, fakeNormal), dark) + l1Loss(translate(networks.generator, fakeDark), normal)
        var terms = [LossTerm(name: "adversarial", value: adversarialLoss, weight: adversarialWeight),
                     LossTerm(name: "cycle", value: cycle, weight: cycleWeight)]
        if identityFraction > 0 {
            let identity = l1Loss(translate(networks.generator, normal), normal) + l1Loss(translate(networks.inverseGenerator, dark), dark)
            terms.append(LossTerm(name: "identity", value: identity, weight: cycleWeight * identityFraction))
        }
        return (terms, [normalPool.query(fakeNormal.detached(), using: &random), darkPool.query(fakeDark.detached(), using: &random)])
    }

    public func discriminatorPass(_ batch: TrainingBatch, judged: [Tensor], using random: inout SplitMix64)
        -> (loss: Tensor, accuracy: (real: Double, fake: Double)) {
        guard let normal = batch.target else { preconditionFailure("cyclegan needs normal photos beside the dark ones") }
        let realNormal = networks.discriminatorNormal(normal), fakeNormal = networks.discriminatorNormal(judged[0])
        let realDark = networks.discriminatorDark(batch.input), fakeDark = networks.discriminatorDark(judged[1])
        let loss = discriminatorLoss(real: realNormal, fake: fakeNormal, critic: networks.discriminatorNormal.callAsFunction,
                                     realImages: normal, fakeImages: judged[0], using: &random)
            + discriminatorLoss(real: realDark, fake: fakeDark, critic: networks.discriminatorDark.callAsFunction,
                                realImages: batch.input, fakeImages: judged[1], using: &random)
        return (loss * 0.5, adversarial.loss.discriminatorAccuracy(real: realNormal, fake: fakeNormal))
    }

    public func enhanced(_ input: Tensor) -> Tensor { withoutGradients { networks.generator.translated(input) } }

    public func trainingState() -> StateDict {
        StateDict(darkPool.state(prefix: "pool.dark") + normalPool.state(prefix: "pool.normal"))
    }

    public func loadTrainingState(_ state: StateDict) throws {
        try darkPool.load(state, prefix: "pool.dark")
        try normalPool.load(state, prefix: "pool.normal")
    }
}
