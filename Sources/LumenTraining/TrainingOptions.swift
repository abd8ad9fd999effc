import Foundation

/// How to run a training: data, length, hyper-parameters and where results go.
public struct TrainingOptions: Sendable {
    /// The folder of training images.
    public var data: URL
    /// The run directory: checkpoint, logs, previews, final weights.
    public var runDirectory: URL
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    /// Training crops are `size x size`.
    public var size: Int
    public var seed: UInt64
    /// Images for the per-epoch validation loss and the previews; the first
    /// training images are previewed when `nil`.
    public var validation: URL?
    /// Continue from the run directory's checkpoint.
    public var resume: Bool
    /// Start from these weights (fine-tuning) instead of a random initialisation.
    public var initialWeights: URL?
    /// A checkpoint is also written every this many steps (and at each epoch's end).
    public var checkpointInterval: Int
    /// How many images the previews show.
    public var previewCount: Int

    public init(data: URL, runDirectory: URL, epochs: Int, batchSize: Int, learningRate: Float, size: Int,
                seed: UInt64, validation: URL? = nil, resume: Bool = false, initialWeights: URL? = nil,
                checkpointInterval: Int = 200, previewCount: Int = 4) {
        precondition(epochs > 0 && batchSize > 0 && size >= 16 && checkpointInterval > 0 && previewCount > 0,
                     "invalid training options")
        (self.data, self.runDirectory, self.epochs, self.batchSize, self.learningRate, self.size, self.seed) =
            (data, runDirectory, epochs, batchSize, learningRate, size, seed)
        (self.validation, self.resume, self.initialWeights, self.checkpointInterval, self.previewCount) =
            (validation, resume, initialWeights, checkpointInterval, previewCount)
    }

    /// The files of the run directory.
    public var checkpointURL: URL { runDirectory.appendingPathComponent("checkpoint.safetensors") }
    public var lossLogURL: URL { runDirectory.appendingPathComponent("losses.jsonl") }
    public var lossCurveURL: URL { runDirectory.appendingPathComponent("loss-curve.png") }
    public var previewDirectory: URL { runDirectory.appendingPathComponent("previews") }
    /// The final inference weights, `<model>.safetensors`.
    public func finalWeightsURL(model: String) -> URL { runDirectory.appendingPathComponent("\(model).safetensors") }
}

/// What the trainer reports after each step.
public struct TrainingProgress: Sendable {
    public let epoch: Int, epochs: Int
    public let batch: Int, batchesPerEpoch: Int
    public let globalStep: Int, totalSteps: Int
    public let loss: Float
    public let imagesPerSecond: Double
}

/// How a run ended.
public enum TrainingOutcome: Sendable, Equatable {
    /// All epochs trained; the final weights are at the URL.
    case finished(weights: URL)
    /// Stopped on request after saving a checkpoint at the URL.
    case interrupted(checkpoint: URL, globalStep: Int)
}
