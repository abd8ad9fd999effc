import Foundation
import Lumen
import LumenIO
import LumenNN
import LumenTensor

/// Where a run stands: enough to resume it exactly.
public struct TrainingPosition: Sendable, Equatable, Codable {
    /// The epoch being trained, from 0.
    public var epoch: Int
    /// Batches of that epoch already trained.
    public var batchInEpoch: Int
    /// Optimiser steps taken in all.
    public var globalStep: Int
}

/// The settings a run cannot change when it resumes.
public struct TrainingSettings: Sendable, Equatable, Codable {
    public var model: String
    public var seed: UInt64
    public var batchSize: Int
    public var size: Int
    public var learningRate: Float
    public var threads: Int
    /// The learning-rate schedule; `nil` (constant) in checkpoints written before schedules existed.
    public var schedule: LearningRatePolicy?
    /// Epochs of the run, on which a schedule depends; `nil` without a schedule.
    public var epochs: Int?
    /// The crop sizes of progressive resizing, in order; `nil` for one size.
    public var progressiveSizes: [Int]?
    /// The recipe's own choices (a GAN's loss and steps); `nil` when it has none.
    public var configuration: [String: String]?
    /// The arithmetic of the steps; `nil` for float32 (and in older checkpoints).
    public var precision: TrainingPrecision?

    public init(model: String, seed: UInt64, batchSize: Int, size: Int, learningRate: Float, threads: Int,
                schedule: LearningRatePolicy = .constant, epochs: Int, progressiveSizes: [Int] = [],
                configuration: [String: String] = [:], precision: TrainingPrecision = .float32) {
        (self.model, self.seed, self.batchSize, self.size, self.learningRate, self.threads) =
            (model, seed, batchSize, size, learningRate, threads)
        (self.schedule, self.epochs) = schedule == .constant && progressiveSizes.isEmpty ? (nil, nil) : (schedule, epochs)
        self.progressiveSizes = progressiveSizes.isEmpty ? nil : progressiveSizes
        self.configuration = configuration.isEmpty ? nil : configuration
        self.precision = precision == .float32 ? nil : precision
    }
}

/// A training checkpoint: model weights and buffers, optimiser state, position
/// and settings, in one safetensors file written atomically (temporary file +
/// rename), so a crash during a save leaves the previous checkpoint intact.
///
/// Keys: `model.<key>`, `optimizer.<key>`, `recipe.<key>` (a recipe's own
/// state, such as a GAN's image pool) and `trainer.<key>` (the loss scaler of a
/// mixed-precision run); position and settings are JSON in
/// the metadata. The seed in the settings is the whole RNG state: every random
/// draw derives from (seed, epoch, position) (``TrainingSampler``).
public enum TrainingCheckpoint {
    static let positionKey = trainingPositionMetadataKey, settingsKey = "lumen.settings"

    /// Saves `network`, `optimizer`, `recipeState` and `trainerState` at `position`.
    public static func save(to url: URL, network: Module, optimizer: some Optimizer, recipeState: StateDict = StateDict(),
                            trainerState: StateDict = StateDict(), position: TrainingPosition, settings: TrainingSettings) throws {
        var tensors: [String: Tensor] = [:]
        for (key, tensor) in network.stateDict() { tensors["model." + key] = tensor }
        for (key, tensor) in optimizer.state() { tensors["optimizer." + key] = tensor }
        for (key, tensor) in recipeState { tensors["recipe." + key] = tensor }
        for (key, tensor) in trainerState { tensors["trainer." + key] = tensor }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let metadata = [
            modelMetadataKey: settings.model,
            positionKey: String(decoding: try encoder.encode(position), as: UTF8.self),
            settingsKey: String(decoding: try encoder.encode(settings), as: UTF8.self),
        ]
        try Safetensors.write(tensors, metadata: metadata, to: url)
    }

    /// Reads a checkpoint's settings and position without touching a model.
    public static func peek(_ url: URL) throws -> (settings: TrainingSettings, position: TrainingPosition) {
        let contents = try Safetensors.read(contentsOf: url)
        return try parse(contents.metadata, file: url.relativePath)
    }

    /// Restores `network` and `optimizer` from `url`; the recipe's and the trainer's state are returned.
    /// - Throws: `TrainingError.badCheckpoint` naming the file when it is not a
    ///   checkpoint of this model, or its tensors do not fit.
    public static func load(from url: URL, into network: Module, optimizer: inout some Optimizer,
                            expectedModel: String) throws
        -> (settings: TrainingSettings, position: TrainingPosition, recipeState: StateDict, trainerState: StateDict) {
        let name = url.relativePath
        let contents = try Safetensors.read(contentsOf: url)
        let (settings, position) = try parse(contents.metadata, file: name)
        guard settings.model == expectedModel else {
            throw TrainingError.badCheckpoint(file: name, reason: "it is a checkpoint of \(settings.model), not \(expectedModel)")
        }
        var model: [(key: String, tensor: Tensor)] = [], state: [(key: String, tensor: Tensor)] = []
        var recipe: [(key: String, tensor: Tensor)] = [], trainer: [(key: String, tensor: Tensor)] = []
        for (key, tensor) in contents.tensors.sorted(by: { $0.key < $1.key }) {
            if key.hasPrefix("model.") { model.append((String(key.dropFirst(6)), tensor)) }
            if key.hasPrefix("optimizer.") { state.append((String(key.dropFirst(10)), tensor)) }
            if key.hasPrefix("recipe.") { recipe.append((String(key.dropFirst(7)), tensor)) }
            if key.hasPrefix("trainer.") { trainer.append((String(key.dropFirst(8)), tensor)) }
        }
        do {
            try network.load(StateDict(model))
            try optimizer.load(state: StateDict(state))
        } catch {
            throw TrainingError.badCheckpoint(file: name, reason: error.localizedDescription)
        }
        return (settings, position, StateDict(recipe), StateDict(trainer))
    }

    private static func parse(_ metadata: [String: String], file: String) throws -> (settings: TrainingSettings, position: TrainingPosition) {
        guard let settingsJSON = metadata[settingsKey], let positionJSON = metadata[positionKey],
              let settings = try? JSONDecoder().decode(TrainingSettings.self, from: Data(settingsJSON.utf8)),
              let position = try? JSONDecoder().decode(TrainingPosition.self, from: Data(positionJSON.utf8)) else {
            throw TrainingError.badCheckpoint(file: file, reason: "no Lumen training state in its metadata (weights only?)")
        }
        for (name, value) in [("epoch", position.epoch), ("batchInEpoch", position.batchInEpoch), ("globalStep", position.globalStep)]
        where value < 0 {
            throw TrainingError.badCheckpoint(file: file, reason: "\(positionKey) has \(name) \(value); positions are never negative")
        }
        return (settings, position)
    }
}

/// Problems with a training run that the user can fix, each naming the path.
public enum TrainingError: Error, LocalizedError, Equatable {
    case badCheckpoint(file: String, reason: String)
    case runDirectoryUnwritable(path: String, reason: String)
    case nothingToResume(path: String)
    case settingsDiffer(file: String, reason: String)
    /// The data does not suit the model (photos for a supervised model, pairs for a zero-reference one).
    case dataDoesNotFit(model: String, reason: String)
    /// A fresh run would replace an earlier run's `file` in the folder at `path`.
    case runExists(path: String, file: String)
    /// Another process holds the run folder's lock.
    case runInUse(path: String)
    /// The loss or the weights stopped being finite numbers at `step`; the
    /// checkpoint of `checkpointStep` (if any) was left as it was.
    case diverged(step: Int, what: String, checkpoint: String, checkpointStep: Int?)

    public var errorDescription: String? {
        switch self {
        case let .badCheckpoint(file, reason): "\(file): cannot resume from it: \(reason)"
        case let .runDirectoryUnwritable(path, reason): "\(path): cannot write the run there (\(reason))"
        case .nothingToResume(let path): "\(path): no checkpoint to resume from"
        case let .settingsDiffer(file, reason): "\(file): \(reason)"
        case let .dataDoesNotFit(model, reason): "\(model): \(reason)"
        case let .runExists(path, file):
            "\(path): holds an earlier run (\(file)); continue it with --resume, start over with --overwrite, or choose another --out"
        case .runInUse(let path):
            "\(path): another lumen train is using this run folder"
        case let .diverged(step, what, checkpoint, checkpointStep):
            "training diverged at step \(step): \(what). "
                + (checkpointStep.map { "\(checkpoint) still holds step \($0), the last good state; " }
                    ?? "No checkpoint was written; ")
                + "try a lower --lr or --init weights that are finite"
        }
    }
}
