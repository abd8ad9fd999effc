import Foundation
import Lumen
import LumenIO
import LumenNN
import LumenTensor

/// Unsupervised training of SCI (Ma et al. 2022) with the official settings:
/// three unrolled stages with the self-calibration module, loss per stage
/// `1.5 · MSE(illumination, stage input) + smoothness`, Adam with betas
/// (0.9, 0.999) and weight decay 3e-4, gradient-norm clipping at 5 (`train.py`).
/// Lumen's smoothness loss uses the per-pixel RGB → YCbCr transform.
public final class SCIRecipe: TrainingRecipe {
    public let network: Module
    private let trainingNetwork: SCITrainingNetwork
    public let objective: SCIObjective
    public var modelName: String { ModelKind.sci.rawValue }
    public var isSupervised: Bool { false }
    public let gradientClipNorm: Float? = 5
    public let weightDecay: Float = 3e-4

    public init(seed: UInt64, objective: SCIObjective = SCIObjective()) {
        var generator = SplitMix64(seed: seed)
        trainingNetwork = SCITrainingNetwork(using: &generator)
        network = trainingNetwork
        self.objective = objective
    }

    public func losses(_ batch: TrainingBatch) -> LossTerms { objective(trainingNetwork(batch.input)) }

    /// The inference model's output (one stage, running batch-norm statistics).
    public func enhanced(_ batch: Tensor) -> Tensor {
        withoutGradients { trainingNetwork.inferenceModel().enhanced(batch) }
    }

    /// Official SCI checkpoints hold the whole training network; Lumen `sci`
    /// safetensors hold the inference stage only, which then starts the enhancer.
    public func loadInitialWeights(from url: URL) throws {
        if url.pathExtension == "safetensors" {
            try trainingNetwork.enhancer.loadWeights(from: url, expecting: .sci)
        } else {
            try trainingNetwork.importCheckpoint(TorchCheckpoint.load(contentsOf: url), source: url.relativePath)
        }
    }

    public func saveInferenceWeights(to url: URL, metadata: [String: String]) throws {
        try trainingNetwork.inferenceModel().saveWeights(to: url, kind: .sci, metadata: metadata)
    }
}
