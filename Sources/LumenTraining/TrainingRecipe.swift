import Foundation
import Lumen
import LumenNN
import LumenTensor

/// What is trained and how: the network, its objective and optimiser settings,
/// and how to turn it into shippable inference weights. The ``Trainer`` does the
/// rest (data, loop, checkpoints, logs, previews) the same way for every model.
public protocol TrainingRecipe: AnyObject {
    /// The model's command-line name, recorded in checkpoints.
    var modelName: String { get }
    /// The network whose weights, buffers and optimiser state are checkpointed.
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
}

extension TrainingRecipe {
    /// Adam over the network's parameters with the recipe's weight decay.
    public func makeOptimizer(learningRate: Float) -> Adam {
        Adam(parameters: network.parameters(), learningRate: learningRate, weightDecay: weightDecay)
    }

    /// One optimiser step on `batch`: forward in training mode, backward, gradient
    /// clipping, update. Returns the loss terms.
    public func trainingStep(_ batch: TrainingBatch, optimizer: inout Adam) -> LossTerms {
        network.train()
        optimizer.zeroGradients()
        let terms = losses(batch)
        terms.total.backward()
        if let limit = gradientClipNorm {
            _ = clipGradientNorm(network.parameters().map(\.tensor), maxNorm: limit)
        }
        optimizer.step()
        return terms
    }
}
