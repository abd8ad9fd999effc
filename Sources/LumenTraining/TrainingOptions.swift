import Foundation
import LumenNN

/// How to run a training: data, length, hyper-parameters and where results go.
public struct TrainingOptions: Sendable {
    /// The training data: photos, pairs, or photos darkened on the fly.
    public var data: TrainingDataSource
    /// The run directory: checkpoint, logs, previews, final weights.
    public var runDirectory: URL
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    /// Training crops are `size x size`.
    public var size: Int
    public var seed: UInt64
    /// The validation folder, also the source of the previews (the first training
    /// samples are previewed when `nil`): photos, whose loss is reported per epoch,
    /// for zero-reference models; a pairs folder (`low/`, `high/`), whose PSNR and
    /// SSIM on whole images are reported per epoch, for supervised ones.
    public var validation: URL?
    /// Validate after every this many epochs (and after the last).
    public var validationInterval: Int
    /// How the learning rate changes over the run.
    public var schedule: LearningRatePolicy
    /// Continue from the run directory's checkpoint.
    public var resume: Bool
    /// Start afresh over an earlier run in the run directory, replacing its
    /// checkpoint and logs; without it (or ``resume``) such a run is refused.
    public var overwrite: Bool
    /// Start from these weights (fine-tuning) instead of a random initialisation.
    public var initialWeights: URL?
    /// A checkpoint is also written every this many steps (and at each epoch's end).
    public var checkpointInterval: Int
    /// How many images the previews show.
    public var previewCount: Int
    /// Progressive resizing: crop sizes used in turn, each for an equal share of
    /// the epochs (e.g. 64, 128, 256); empty to train at ``size`` throughout.
    /// ``size`` is the last, at which previews are made.
    public var progressiveSizes: [Int] = []
    /// Previews are also written every this many steps (`previews/step-NNNNNN.png`),
    /// besides after each epoch; `nil` for epochs only.
    public var previewInterval: Int?
    /// The arithmetic of the steps.
    public var precision: TrainingPrecision = .float32
    /// The loss scaler a fresh run starts with; `nil` for the precision's own
    /// (``TrainingPrecision/initialScaler``). A resumed run continues the checkpoint's.
    public var lossScaling: LossScaler?

    public init(data: TrainingDataSource, runDirectory: URL, epochs: Int, batchSize: Int, learningRate: Float, size: Int,
                seed: UInt64, validation: URL? = nil, validationInterval: Int = 1, schedule: LearningRatePolicy = .constant,
                resume: Bool = false, overwrite: Bool = false, initialWeights: URL? = nil, checkpointInterval: Int = 200, previewCount: Int = 4) {
        precondition(epochs > 0 && batchSize > 0 && size >= 16 && checkpointInterval > 0 && previewCount > 0
                     && validationInterval > 0, "invalid training options")
        (self.data, self.runDirectory, self.epochs, self.batchSize, self.learningRate, self.size, self.seed) =
            (data, runDirectory, epochs, batchSize, learningRate, size, seed)
        self.validationInterval = validationInterval
        (self.validation, self.schedule, self.resume, self.initialWeights, self.checkpointInterval, self.previewCount) =
            (validation, schedule, resume, initialWeights, checkpointInterval, previewCount)
        self.overwrite = overwrite
    }

    /// The crop size of `epoch` (counting from 0).
    public func size(epoch: Int) -> Int {
        progressiveSizes.isEmpty ? size : progressiveSizes[min(epoch * progressiveSizes.count / epochs, progressiveSizes.count - 1)]
    }

    /// The checkpoint of the run in `runDirectory`.
    public static func checkpointURL(in runDirectory: URL) -> URL { runDirectory.appendingPathComponent("checkpoint.safetensors") }

    /// The files of the run directory.
    public var checkpointURL: URL { Self.checkpointURL(in: runDirectory) }
    public var lossLogURL: URL { runDirectory.appendingPathComponent("losses.jsonl") }
    public var lossCurveURL: URL { runDirectory.appendingPathComponent("loss-curve.png") }
    /// Validation PSNR per epoch (supervised runs with a validation folder).
    public var validationCurveURL: URL { runDirectory.appendingPathComponent("validation-curve.png") }
    public var previewDirectory: URL { runDirectory.appendingPathComponent("previews") }
    /// The final inference weights, `<model>.safetensors`.
    public func finalWeightsURL(model: String) -> URL { runDirectory.appendingPathComponent("\(model).safetensors") }
}

/// How the learning rate changes over a run.
public enum LearningRatePolicy: String, Sendable, Codable, CaseIterable {
    /// The same rate throughout (the official zero-reference recipes).
    case constant
    /// Cosine annealing from the rate to 1% of it over all the run's steps.
    case cosine

    /// The rate of step `step` (from 0) of `totalSteps`.
    public func learningRate(_ base: Float, step: Int, totalSteps: Int) -> Float {
        switch self {
        case .constant: base
        case .cosine: CosineSchedule(initialLearningRate: base, maximumStep: max(totalSteps, 1), minimumLearningRate: base / 100)
            .learningRate(atStep: min(step, totalSteps))
        }
    }
}

/// What the trainer reports after each step.
public struct TrainingProgress: Sendable {
    public let epoch: Int, epochs: Int
    public let batch: Int, batchesPerEpoch: Int
    public let globalStep: Int, totalSteps: Int
    public let loss: Float
    public let imagesPerSecond: Double
}

/// What the trainer reports after each epoch's validation.
public struct EpochSummary: Sendable {
    /// The epoch, from 1.
    public let epoch: Int, epochs: Int
    /// The mean validation loss (zero-reference) or L1 (supervised), if validated.
    public let validationLoss: Double?
    /// Mean PSNR (dB) and SSIM on the validation pairs (supervised).
    public let psnr: Double?, ssim: Double?
}

/// How a run ended.
public enum TrainingOutcome: Sendable, Equatable {
    /// All epochs trained; the final weights are at the URL.
    case finished(weights: URL)
    /// Stopped on request after saving a checkpoint at the URL.
    case interrupted(checkpoint: URL, globalStep: Int)
}
