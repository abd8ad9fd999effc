import Foundation
import Lumen
import LumenNN
import LumenTensor

/// What is trained and how: the network, its objective and optimiser settings,
/// and how to turn it into shippable inference weights. The ``Trainer`` does the
/// rest (data, loop, checkpoints, logs, previews) the same way for every model.
///
/// Adversarial recipes train several networks with one ``Adam`` holding one
/// parameter group per network (each with its own learning rate), and replace
/// ``trainingStep(_:step:optimizer:)`` with their alternating updates.
public protocol TrainingRecipe: AnyObject {
    /// The model's command-line name, recorded in checkpoints.
    var modelName: String { get }
    /// The network whose weights, buffers and optimiser state are checkpointed
    /// (for a GAN, a container of its generators and discriminators).
    var network: Module { get }
    /// Whether it learns from pairs (batches with targets) rather than from photos alone.
    var isSupervised: Bool { get }
    /// Global gradient-norm limit applied before each step, or `nil`.
    var gradientClipNorm: Float? { get }
    /// Adam's L2 weight decay (PyTorch `Adam(weight_decay:)`).
    var weightDecay: Float { get }
    /// The loss terms of one batch, with gradients recorded.
    func losses(_ batch: TrainingBatch) -> LossTerms
    /// The enhanced images of inputs `[B, 3, H, W]`, for previews and validation
    /// (evaluation mode, no gradients).
    func enhanced(_ input: Tensor) -> Tensor
    /// Starts from existing weights (fine-tuning): an official checkpoint or Lumen safetensors.
    func loadInitialWeights(from url: URL) throws
    /// Writes the inference model's weights as Lumen safetensors.
    func saveInferenceWeights(to url: URL, metadata: [String: String]) throws

    /// The optimiser, with the run's base learning rate; the schedule scales every
    /// group's rate by the same factor.
    func makeOptimizer(learningRate: Float) -> Adam
    /// One training step on `batch`, the `step`-th of the run (counting from 0),
    /// from which any randomness of the step derives. Every backward pass goes
    /// through `scaler` (``LossScaler/backward(_:parameters:)``), which skips an
    /// update whose gradients overflowed. Returns the terms to log.
    func trainingStep(_ batch: TrainingBatch, step: Int, optimizer: inout Adam, scaler: inout LossScaler) -> LossTerms
    /// Why `data` cannot train this recipe, or `nil` when it can.
    func dataProblem(_ data: TrainingDataSource) -> String?
    /// State besides the network and optimiser that exact resume needs (a GAN's
    /// image pool), saved in the checkpoint.
    func trainingState() -> StateDict
    /// Restores ``trainingState()`` from a checkpoint.
    func loadTrainingState(_ state: StateDict) throws
    /// The recipe's own choices, recorded in the run's settings so that a resume
    /// with other choices is refused.
    var configuration: [String: String] { get }
    /// Problems noticed since the last call (a discriminator that wins outright),
    /// for the trainer to show as warnings.
    func takeWarnings() -> [String]
    /// Staged training: called before the steps of every epoch (also when a run
    /// resumes mid-epoch) so that the recipe freezes and unfreezes what this epoch's
    /// stage says. Returns the stage's learning rate, which replaces the run's base
    /// rate (the schedule still applies), or `nil` to keep it.
    func beginEpoch(_ epoch: Int) -> Float?
}

extension TrainingRecipe {
    /// Adam over the network's parameters with the recipe's weight decay.
    public func makeOptimizer(learningRate: Float) -> Adam {
        Adam(parameters: network.parameters(), learningRate: learningRate, weightDecay: weightDecay)
    }

    /// One optimiser step on `batch`: forward in training mode, backward, gradient
    /// clipping, update. Returns the loss terms.
    public func trainingStep(_ batch: TrainingBatch, step: Int, optimizer: inout Adam, scaler: inout LossScaler) -> LossTerms {
        network.train()
        return optimizationStep(batch, optimizer: &optimizer, scaler: &scaler)
    }

    /// Gradients of ``losses(_:)`` on `batch` through `scaler`, clipping and the
    /// optimiser's update (unless the scaler skips it), in whatever mode the network is.
    public func optimizationStep(_ batch: TrainingBatch, optimizer: inout Adam, scaler: inout LossScaler) -> LossTerms {
        optimizer.zeroGradients()
        let terms = losses(batch)
        let parameters = network.parameters().map(\.tensor)
        guard scaler.backward(terms.total, parameters: parameters) else { return terms }
        if let limit = gradientClipNorm { _ = clipGradientNorm(parameters, maxNorm: limit) }
        optimizer.step()
        return terms
    }

    /// Photos for zero-reference recipes, pairs (or photos to darken) for supervised ones.
    public func dataProblem(_ data: TrainingDataSource) -> String? {
        if case .unpaired = data { return "learns from one folder: give photos or pairs, not two unpaired folders" }
        if case .matting = data { return "learns images, not mattes: give photos or pairs, not a matting folder" }
        guard data.isPaired != isSupervised else { return nil }
        return isSupervised ? "learns from pairs: give a pairs folder or photos to darken on the fly"
                            : "learns from photos alone: give a folder of photos, not pairs"
    }

    public func trainingState() -> StateDict { StateDict() }
    public func loadTrainingState(_ state: StateDict) throws {}
    public func takeWarnings() -> [String] { [] }
    public func beginEpoch(_ epoch: Int) -> Float? { nil }
    public var configuration: [String: String] { [:] }
}
