import Foundation
import Lumen
import LumenIO
import LumenNN
import LumenTensor

/// The choices every GAN recipe shares.
public struct AdversarialOptions: Sendable, Equatable {
    /// The adversarial objective (LSGAN by default, as CycleGAN).
    public var loss: AdversarialLoss = .lsgan
    /// Discriminator updates per generator update (`--d-steps`), each on the same
    /// batch of generated images.
    public var discriminatorSteps = 1
    /// The discriminators' learning rate over the generators' (`--d-lr-ratio`):
    /// the two time-scale update rule (Heusel et al. 2017) takes 4, SAGAN-style.
    public var discriminatorLearningRateRatio: Float = 1
    /// Lambda of the WGAN-GP penalty, used with `loss == .wganGP`.
    public var gradientPenaltyWeight: Float = 10
    /// The weight of the adversarial terms in the generator's loss; `nil` for the
    /// recipe's own (``AdversarialRecipe/defaultAdversarialWeight``).
    public var adversarialWeight: Float?

    public init() {}
}

/// A GAN recipe: generators and discriminators in one ``TrainingRecipe/network``
/// container, whose discriminators are the properties named `discriminator...`.
///
/// Each training step (``trainingStep(_:step:optimizer:)``):
/// 1. the generators run and are updated on their loss, with the discriminators
///    frozen (they get no gradients);
/// 2. the discriminators are updated `discriminatorSteps` times on what the
///    generators made, detached, against real images.
///
/// One ``Adam`` (betas 0.5, 0.999, as pix2pix and CycleGAN) holds two groups, the
/// generators' and the discriminators' (learning rate times
/// ``AdversarialOptions/discriminatorLearningRateRatio``); each skips parameters
/// without gradients, so each phase updates only its own networks. Every random
/// choice of a step (penalty mixing, pool draws, local patches) comes from a
/// generator seeded by the run's seed and the step number, so a resumed run
/// replays the uninterrupted one exactly.
public protocol AdversarialRecipe: TrainingRecipe {
    var adversarial: AdversarialOptions { get }
    /// The adversarial weight when the options leave it to the recipe.
    var defaultAdversarialWeight: Float { get }
    /// The run's seed, from which each step's random draws derive.
    var seed: UInt64 { get }
    /// Watches the steps for a discriminator that wins outright and for outputs
    /// that stop varying.
    var monitor: GANMonitor { get }
    /// The generator whose weights are the run's result.
    var shippedGenerator: any CheckpointImportable { get }
    /// Its architecture, recorded in the weights' `lumen.architecture` metadata.
    var generatorArchitecture: String { get }
    /// The generators' loss terms for `batch` (gradients reach the generators
    /// only) and the generated images the discriminators are then shown, detached.
    func generatorPass(_ batch: TrainingBatch, using generator: inout SplitMix64) -> (terms: [LossTerm], judged: [Tensor])
    /// The discriminators' loss on `batch` against `judged`, with the accuracy of
    /// the main discriminator on real and on generated images.
    func discriminatorPass(_ batch: TrainingBatch, judged: [Tensor], using generator: inout SplitMix64)
        -> (loss: Tensor, accuracy: (real: Double, fake: Double))
}

extension AdversarialRecipe {
    public var isSupervised: Bool { true }
    public var gradientClipNorm: Float? { nil }
    public var weightDecay: Float { 0 }
    /// The weight of the adversarial terms in the generator's loss.
    public var adversarialWeight: Float { adversarial.adversarialWeight ?? defaultAdversarialWeight }

    public var configuration: [String: String] { adversarialConfiguration }

    /// The shared options as recorded in the run's settings.
    var adversarialConfiguration: [String: String] {
        ["adversarial-loss": adversarial.loss.rawValue, "d-steps": "\(adversarial.discriminatorSteps)",
         "d-lr-ratio": "\(adversarial.discriminatorLearningRateRatio)", "adversarial-weight": "\(adversarialWeight)"]
    }

    /// The network's parameters that belong to discriminators.
    var discriminatorParameters: [(key: String, tensor: Tensor)] {
        network.parameters().filter { $0.key.hasPrefix("discriminator") }
    }

    public func makeOptimizer(learningRate: Float) -> Adam {
        let parameters = network.parameters()
        let generators = parameters.filter { !$0.key.hasPrefix("discriminator") }
        let discriminators = parameters.filter { $0.key.hasPrefix("discriminator") }
        return Adam(groups: [
            ParameterGroup(parameters: generators, learningRate: learningRate),
            ParameterGroup(parameters: discriminators, learningRate: learningRate * adversarial.discriminatorLearningRateRatio),
        ], beta1: 0.5, beta2: 0.999)
    }

    public func trainingStep(_ batch: TrainingBatch, step: Int, optimizer: inout Adam, scaler: inout LossScaler) -> LossTerms {
        network.train()
        var generator = SplitMix64(seed: seed ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(step + 1)))
        _ = generator.next()
        let discriminators = discriminatorParameters.map(\.tensor)

        optimizer.zeroGradients()
        for parameter in discriminators { parameter.requiresGradient = false }
        let (generatorTerms, judged) = generatorPass(batch, using: &generator)
        let generatorLoss = LossTerms(generatorTerms)
        let generators = network.parameters().filter { !$0.key.hasPrefix("discriminator") }.map(\.tensor)
        let generatorStepped = scaler.backward(generatorLoss.total, parameters: generators)
        for parameter in discriminators { parameter.requiresGradient = true }
        if generatorStepped { optimizer.step() }

        var discriminatorLoss = Tensor(0), accuracy = (real: 0.0, fake: 0.0)
        for _ in 0..<adversarial.discriminatorSteps {
            optimizer.zeroGradients()
            (discriminatorLoss, accuracy) = discriminatorPass(batch, judged: judged, using: &generator)
            if scaler.backward(discriminatorLoss, parameters: discriminators) { optimizer.step() }
        }
        monitor.record(discriminatorLoss: discriminatorLoss.scalar, accuracy: accuracy,
                       generated: judged[0], input: batch.input)
        // Logged beside the generator's terms with weight 0: the total stays the generator's loss.
        return LossTerms(generatorTerms + [
            LossTerm(name: "discriminator", value: discriminatorLoss.detached(), weight: 0),
            LossTerm(name: "d_accuracy_real", value: Tensor(Float(accuracy.real)), weight: 0),
            LossTerm(name: "d_accuracy_fake", value: Tensor(Float(accuracy.fake)), weight: 0),
        ])
    }

    public func takeWarnings() -> [String] { monitor.takeWarnings() }

    /// The generator's terms, for validation: the same pass as a training step's
    /// first phase, with the run's seed.
    public func losses(_ batch: TrainingBatch) -> LossTerms {
        var random = SplitMix64(seed: seed)
        return LossTerms(generatorPass(batch, using: &random).terms)
    }

    /// Fine-tuning starts the shipped generator from Lumen weights of this model.
    public func loadInitialWeights(from url: URL) throws {
        try WeightsFile.read(url).load(into: shippedGenerator, modelName: modelName)
    }

    /// The shipped generator's weights, with its architecture in the metadata.
    public func saveInferenceWeights(to url: URL, metadata: [String: String]) throws {
        var tensors: [String: Tensor] = [:]
        for (key, tensor) in shippedGenerator.stateDict() { tensors[key] = tensor }
        try Safetensors.write(tensors, metadata: metadata.merging([modelMetadataKey: modelName,
                                                                   "lumen.architecture": generatorArchitecture]) { $1 }, to: url)
    }

    /// The shared options and whether VGG19 weights switch the perceptual term on.
    func configuration(perceptual: VGG19Features?) -> [String: String] {
        adversarialConfiguration.merging(["perceptual": perceptual == nil ? "none" : "vgg19"]) { $1 }
    }

    /// The discriminator loss of `real` and `fake` outputs, plus WGAN-GP's penalty
    /// on `critic` between `realImages` and `fakeImages` when that is the loss.
    func discriminatorLoss(real: Tensor, fake: Tensor, critic: (Tensor) -> Tensor, realImages: Tensor, fakeImages: Tensor,
                           using generator: inout SplitMix64) -> Tensor {
        let loss = adversarial.loss.discriminatorLoss(real: real, fake: fake)
        guard adversarial.loss == .wganGP else { return loss }
        return loss + gradientPenalty(critic: critic, real: realImages, fake: fakeImages,
                                      weight: adversarial.gradientPenaltyWeight, using: &generator)
    }

    /// The generator's adversarial loss against `discriminator` on `fake`; the real
    /// images' outputs are computed only for the relativistic loss, which needs them.
    func generatorAdversarialLoss(_ discriminator: (Tensor) -> Tensor, fake: Tensor, real: Tensor) -> Tensor {
        let fakeOutput = discriminator(fake)
        let realOutput = adversarial.loss == .relativistic ? withoutGradients { discriminator(real) } : fakeOutput.detached()
        return adversarial.loss.generatorLoss(real: realOutput, fake: fakeOutput)
    }
}
