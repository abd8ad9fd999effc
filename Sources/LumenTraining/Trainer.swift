import Foundation
import Lumen
import LumenIO
import LumenNN
import LumenTensor

/// Runs a ``TrainingRecipe`` over an image folder: batches, optimiser steps,
/// loss log, periodic atomic checkpoints, per-epoch previews and validation,
/// exact resume, and the loss curve at the end.
public final class Trainer {
    public let recipe: any TrainingRecipe
    public let options: TrainingOptions
    private let warn: @Sendable (String) -> Void

    /// - Parameter warn: receives non-fatal problems (an image that cannot be decoded).
    public init(recipe: any TrainingRecipe, options: TrainingOptions, warn: @escaping @Sendable (String) -> Void) {
        self.recipe = recipe
        self.options = options
        self.warn = warn
    }

    /// The settings this run is defined by.
    public var settings: TrainingSettings {
        TrainingSettings(model: recipe.modelName, seed: options.seed, batchSize: options.batchSize, size: options.size,
                         learningRate: options.learningRate, threads: Runtime.threadCount)
    }

    /// Trains until all epochs are done or `shouldStop` returns true after a step.
    public func run(progress: (TrainingProgress) -> Void = { _ in },
                    shouldStop: () -> Bool = { false }) throws -> TrainingOutcome {
        try prepareRunDirectory()
        let batches = TrainingBatches(folder: try ImageFolder(options.data), seed: options.seed,
                                      batchSize: options.batchSize, size: options.size, warn: warn)
        var optimizer = recipe.makeOptimizer(learningRate: options.learningRate)
        var position = TrainingPosition(epoch: 0, batchInEpoch: 0, globalStep: 0)
        if options.resume {
            position = try restore(into: &optimizer)
        } else if let initial = options.initialWeights {
            try recipe.loadInitialWeights(from: initial)
        }
        let log = try LossLog(url: options.lossLogURL, resumingAfter: options.resume ? position.globalStep : nil)
        let previewImages = try previewBatch()
        let validation = try options.validation.map { try ImageFolder($0) }
        let totalSteps = options.epochs * batches.batchesPerEpoch
        let start = Date(), stepsAtStart = position.globalStep

        while position.epoch < options.epochs {
            for (index, images) in batches.batches(epoch: position.epoch, from: position.batchInEpoch) {
                let stepStart = Date()
                let terms = recipe.trainingStep(images, optimizer: &optimizer)
                position = TrainingPosition(epoch: position.epoch, batchInEpoch: index + 1, globalStep: position.globalStep + 1)
                let rate = Double(images.shape[0]) / max(Date().timeIntervalSince(stepStart), 1e-9)
                try log.append(LossRecord(
                    epoch: position.epoch, globalStep: position.globalStep, phase: "train", total: Double(terms.total.scalar),
                    terms: Dictionary(uniqueKeysWithValues: terms.terms.map { ($0.name, Double($0.value.scalar)) }),
                    learningRate: Double(options.learningRate), imagesPerSecond: rate))
                let overall = Double((position.globalStep - stepsAtStart) * options.batchSize) / max(Date().timeIntervalSince(start), 1e-9)
                progress(TrainingProgress(epoch: position.epoch, epochs: options.epochs, batch: index + 1,
                                          batchesPerEpoch: batches.batchesPerEpoch, globalStep: position.globalStep,
                                          totalSteps: totalSteps, loss: terms.total.scalar, imagesPerSecond: overall))
                if shouldStop() {
                    try saveCheckpoint(optimizer, position)
                    return .interrupted(checkpoint: options.checkpointURL, globalStep: position.globalStep)
                }
                if position.globalStep % options.checkpointInterval == 0 { try saveCheckpoint(optimizer, position) }
            }
            try finishEpoch(position.epoch, log: log, previewImages: previewImages, validation: validation, globalStep: position.globalStep)
            position = TrainingPosition(epoch: position.epoch + 1, batchInEpoch: 0, globalStep: position.globalStep)
            try saveCheckpoint(optimizer, position)
        }
        let weights = options.finalWeightsURL(model: recipe.modelName)
        try recipe.saveInferenceWeights(to: weights, metadata: [
            "lumen.training": "\(options.epochs) epochs, batch \(options.batchSize), size \(options.size), lr \(options.learningRate), seed \(options.seed), data \(options.data.lastPathComponent)",
        ])
        try TrainingReport.writeLossCurve(records: LossLog.records(at: options.lossLogURL), to: options.lossCurveURL)
        return .finished(weights: weights)
    }

    private func finishEpoch(_ epoch: Int, log: LossLog, previewImages: Tensor, validation: ImageFolder?, globalStep: Int) throws {
        recipe.network.eval()
        let outputs = recipe.enhanced(previewImages)
        let name = String(format: "epoch-%03d.png", epoch + 1)
        try TrainingReport.writePreview(inputs: previewImages, outputs: outputs, to: options.previewDirectory.appendingPathComponent(name))
        guard let validation else { return }
        let batches = TrainingBatches(folder: validation, seed: options.seed, batchSize: options.batchSize, size: options.size, warn: warn)
        var total = 0.0, terms: [String: Double] = [:], count = 0
        for (_, images) in batches.batches(epoch: 0) {
            let losses = withoutGradients { recipe.losses(images) }
            let weight = Double(images.shape[0])
            total += Double(losses.total.scalar) * weight
            for term in losses.terms { terms[term.name, default: 0] += Double(term.value.scalar) * weight }
            count += images.shape[0]
        }
        guard count > 0 else { return }
        try log.append(LossRecord(epoch: epoch, globalStep: globalStep, phase: "validation", total: total / Double(count),
                                  terms: terms.mapValues { $0 / Double(count) }, learningRate: Double(options.learningRate),
                                  imagesPerSecond: 0))
    }

    /// The fixed images shown in every preview: the first of the validation (or
    /// training) folder that decode, centre-cropped.
    private func previewBatch() throws -> Tensor {
        let folder = try ImageFolder(options.validation ?? options.data)
        var images: [Tensor] = []
        for url in folder.files where images.count < options.previewCount {
            guard let image = try? Image(contentsOf: url).rgb() else { continue }
            images.append(Augmentation.centerCrop(image.tensor(), size: options.size))
        }
        guard !images.isEmpty else { throw DatasetError.noUsableImages(folder.url.relativePath) }
        return withoutGradients { Tensor.concatenated(images, axis: 0) }
    }

    private func prepareRunDirectory() throws {
        let path = options.runDirectory.relativePath
        do {
            try FileManager.default.createDirectory(at: options.previewDirectory, withIntermediateDirectories: true)
            try AtomicFile.write(Data("\(settings)\n".utf8), to: options.runDirectory.appendingPathComponent("settings.txt"))
        } catch {
            throw TrainingError.runDirectoryUnwritable(path: path, reason: error.localizedDescription)
        }
    }

    private func restore(into optimizer: inout Adam) throws -> TrainingPosition {
        let url = options.checkpointURL
        guard FileManager.default.fileExists(atPath: url.path) else { throw TrainingError.nothingToResume(path: options.runDirectory.relativePath) }
        let (saved, position) = try TrainingCheckpoint.load(from: url, into: recipe.network, optimizer: &optimizer,
                                                            expectedModel: recipe.modelName)
        var current = settings
        current.threads = saved.threads
        guard saved == current else {
            throw TrainingError.settingsDiffer(file: url.relativePath, reason: "was trained with \(saved), this run asks for \(settings)")
        }
        if saved.threads != Runtime.threadCount {
            warn("resuming with \(Runtime.threadCount) threads; the checkpoint was written with \(saved.threads): results may differ in the last bits")
        }
        return position
    }

    private func saveCheckpoint(_ optimizer: Adam, _ position: TrainingPosition) throws {
        try TrainingCheckpoint.save(to: options.checkpointURL, network: recipe.network, optimizer: optimizer,
                                    position: position, settings: settings)
    }
}
