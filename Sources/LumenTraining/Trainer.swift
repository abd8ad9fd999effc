import Foundation
import Lumen
import LumenImaging
import LumenIO
import LumenNN
import LumenTensor

/// Runs a ``TrainingRecipe`` over its training data: batches, optimiser steps,
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
                         learningRate: options.learningRate, threads: Runtime.threadCount, schedule: options.schedule,
                         epochs: options.epochs, progressiveSizes: options.progressiveSizes, configuration: recipe.configuration,
                         precision: options.precision)
    }

    /// Trains until all epochs are done or `shouldStop` returns true after a step.
    /// - Parameters:
    ///   - preparing: called while a pairs folder is checked, with (pairs done, pairs in all).
    ///   - progress: called after every step.
    ///   - epochFinished: called after each epoch's previews and validation.
    public func run(preparing: (Int, Int) -> Void = { _, _ in },
                    progress: (TrainingProgress) -> Void = { _ in },
                    epochFinished: (EpochSummary) -> Void = { _ in },
                    shouldStop: () -> Bool = { false }) throws -> TrainingOutcome {
        if let problem = recipe.dataProblem(options.data) {
            throw TrainingError.dataDoesNotFit(model: recipe.modelName, reason: problem)
        }
        if case .restoration = options.data, options.validation != nil {
            throw TrainingError.dataDoesNotFit(model: recipe.modelName, reason: "is scored by the restoration protocols: "
                + "run `lumen eval --task` on the trained weights instead of --validate")
        }
        // The data first: a folder that cannot train leaves no run folder behind.
        let source = try options.data.makeSource(progress: preparing)
        let validation = try options.validation.map { try validationSource($0, preparing: preparing) }
        let lock = try prepareRunDirectory()
        defer { withExtendedLifetime(lock) {} }
        let batches = TrainingBatches(source: source, seed: options.seed, batchSize: options.batchSize, size: options.size, warn: warn)
        func epochBatches(_ epoch: Int) -> TrainingBatches {
            let size = options.size(epoch: epoch)
            return size == options.size ? batches
                : TrainingBatches(source: source, seed: options.seed, batchSize: options.batchSize, size: size, warn: warn)
        }
        guard let previews = (validation ?? source).previews(count: options.previewCount, size: options.size) else {
            throw DatasetError.noUsableImages((validation ?? source).url.relativePath)
        }
        var optimizer = recipe.makeOptimizer(learningRate: options.learningRate)
        let baseRates = optimizer.groups.map(\.learningRate)
        var position = TrainingPosition(epoch: 0, batchInEpoch: 0, globalStep: 0)
        var lastCheckpointStep: Int?
        var scaler = options.lossScaling ?? options.precision.initialScaler
        if options.resume {
            (position, scaler) = try restore(into: &optimizer, batchesPerEpoch: batches.batchesPerEpoch, scaler: scaler)
            lastCheckpointStep = position.globalStep
        } else if let initial = options.initialWeights {
            try recipe.loadInitialWeights(from: initial)
        }
        let log = try LossLog(url: options.lossLogURL, resumingAfter: options.resume ? position.globalStep : nil)
        let totalSteps = options.epochs * batches.batchesPerEpoch
        let start = Date(), stepsAtStart = position.globalStep

        while position.epoch < options.epochs {
            let stageRate = recipe.beginEpoch(position.epoch)
            let epochRate = stageRate ?? options.learningRate
            for (index, batch) in epochBatches(position.epoch).batches(epoch: position.epoch, from: position.batchInEpoch) {
                let stepStart = Date()
                let learningRate = options.schedule.learningRate(epochRate, step: position.globalStep, totalSteps: totalSteps)
                for group in optimizer.groups.indices {
                    let groupRate = stageRate.map { baseRates[group] * $0 / options.learningRate } ?? baseRates[group]
                    optimizer.groups[group].learningRate = options.schedule.learningRate(
                        groupRate, step: position.globalStep, totalSteps: totalSteps)
                }
                let terms = options.precision.run {
                    recipe.trainingStep(batch, step: position.globalStep, optimizer: &optimizer, scaler: &scaler)
                }
                position = TrainingPosition(epoch: position.epoch, batchInEpoch: index + 1, globalStep: position.globalStep + 1)
                for warning in recipe.takeWarnings() { warn("step \(position.globalStep): \(warning)") }
                if !terms.total.scalar.isFinite || terms.terms.contains(where: { !$0.value.scalar.isFinite }) {
                    let bad = terms.terms.first { !$0.value.scalar.isFinite }
                    throw TrainingError.diverged(
                        step: position.globalStep,
                        what: bad.map { "the \($0.name) loss is \($0.value.scalar)" } ?? "the loss is \(terms.total.scalar)",
                        checkpoint: options.checkpointURL.relativePath, checkpointStep: lastCheckpointStep)
                }
                let rate = Double(batch.count) / max(Date().timeIntervalSince(stepStart), 1e-9)
                try log.append(LossRecord(
                    epoch: position.epoch, globalStep: position.globalStep, phase: "train", total: Double(terms.total.scalar),
                    terms: Dictionary(uniqueKeysWithValues: terms.terms.map { ($0.name, Double($0.value.scalar)) }),
                    learningRate: Double(learningRate), imagesPerSecond: rate,
                    metrics: scaler.isEnabled ? ["loss_scale": Double(scaler.scale), "skipped_steps": Double(scaler.skippedSteps)] : nil))
                let overall = Double((position.globalStep - stepsAtStart) * options.batchSize) / max(Date().timeIntervalSince(start), 1e-9)
                progress(TrainingProgress(epoch: position.epoch, epochs: options.epochs, batch: index + 1,
                                          batchesPerEpoch: batches.batchesPerEpoch, globalStep: position.globalStep,
                                          totalSteps: totalSteps, loss: terms.total.scalar, imagesPerSecond: overall))
                if let interval = options.previewInterval, position.globalStep % interval == 0 {
                    try writePreview(previews, name: String(format: "step-%06d.png", position.globalStep))
                }
                if shouldStop() {
                    try saveCheckpoint(optimizer, scaler, position, replacing: &lastCheckpointStep)
                    return .interrupted(checkpoint: options.checkpointURL, globalStep: position.globalStep)
                }
                if position.globalStep % options.checkpointInterval == 0 {
                    try saveCheckpoint(optimizer, scaler, position, replacing: &lastCheckpointStep)
                }
            }
            let summary = try finishEpoch(position.epoch, log: log, previews: previews, validation: validation,
                                          globalStep: position.globalStep)
            epochFinished(summary)
            position = TrainingPosition(epoch: position.epoch + 1, batchInEpoch: 0, globalStep: position.globalStep)
            try saveCheckpoint(optimizer, scaler, position, replacing: &lastCheckpointStep)
        }
        let weights = options.finalWeightsURL(model: recipe.modelName)
        try recipe.saveInferenceWeights(to: weights, metadata: [
            "lumen.training": "\(options.epochs) epochs, batch \(options.batchSize), size \(options.size), lr \(options.learningRate) "
                + "(\(options.schedule.rawValue)), seed \(options.seed), data \(options.data.url.lastPathComponent)",
        ])
        let records = LossLog.records(at: options.lossLogURL)
        try TrainingReport.writeLossCurve(records: records, to: options.lossCurveURL)
        if recipe.isSupervised && validation != nil {
            try TrainingReport.writeValidationCurve(records: records, to: options.validationCurveURL)
        }
        return .finished(weights: weights)
    }

    /// The validation folder as a source: photos, or checked pairs for supervised models.
    private func validationSource(_ url: URL, preparing: (Int, Int) -> Void) throws -> any TrainingSource {
        recipe.isSupervised ? try PairedSource(PairedFolder(url), progress: preparing) : try ImageFolder(url)
    }

    private func finishEpoch(_ epoch: Int, log: LossLog, previews: TrainingBatch, validation: (any TrainingSource)?,
                             globalStep: Int) throws -> EpochSummary {
        try writePreview(previews, name: String(format: "epoch-%03d.png", epoch + 1))
        var summary = EpochSummary(epoch: epoch + 1, epochs: options.epochs, validationLoss: nil, psnr: nil, ssim: nil)
        let validates = (epoch + 1) % options.validationInterval == 0 || epoch + 1 == options.epochs
        let record: LossRecord?
        switch validates ? validation : nil {
        case let pairs as PairedSource:
            record = try validate(on: pairs, epoch: epoch, globalStep: globalStep)
            summary = EpochSummary(epoch: epoch + 1, epochs: options.epochs, validationLoss: record?.total,
                                   psnr: record?.metrics?["psnr"], ssim: record?.metrics?["ssim"])
        case let folder?:
            record = validationLoss(on: folder, epoch: epoch, globalStep: globalStep)
            summary = EpochSummary(epoch: epoch + 1, epochs: options.epochs, validationLoss: record?.total, psnr: nil, ssim: nil)
        case nil:
            record = nil
        }
        if let record { try log.append(record) }
        return summary
    }

    /// Writes the fixed preview inputs with the model's outputs (and targets), in
    /// evaluation mode, which stays on (every training step switches back).
    private func writePreview(_ previews: TrainingBatch, name: String) throws {
        recipe.network.eval()
        try TrainingReport.writePreview(previews, outputs: recipe.enhanced(previews.input),
                                        to: options.previewDirectory.appendingPathComponent(name))
    }

    /// The mean loss over the validation photos, cropped like training images.
    private func validationLoss(on folder: any TrainingSource, epoch: Int, globalStep: Int) -> LossRecord? {
        let batches = TrainingBatches(source: folder, seed: options.seed, batchSize: options.batchSize, size: options.size, warn: warn)
        var total = 0.0, terms: [String: Double] = [:], count = 0
        for (_, batch) in batches.batches(epoch: 0) {
            let losses = withoutGradients { recipe.losses(batch) }
            let weight = Double(batch.count)
            total += Double(losses.total.scalar) * weight
            for term in losses.terms { terms[term.name, default: 0] += Double(term.value.scalar) * weight }
            count += batch.count
        }
        guard count > 0 else { return nil }
        return LossRecord(epoch: epoch, globalStep: globalStep, phase: "validation", total: total / Double(count),
                          terms: terms.mapValues { $0 / Double(count) }, learningRate: Double(options.learningRate),
                          imagesPerSecond: 0)
    }

    /// Mean L1, PSNR and SSIM of the enhanced whole low images, rounded to 8 bits
    /// as `lumen enhance` writes them, against their references as decoded.
    private func validate(on pairs: PairedSource, epoch: Int, globalStep: Int) throws -> LossRecord? {
        var l1 = 0.0, psnrTotal = 0.0, ssimTotal = 0.0, count = 0
        for pair in pairs.folder.pairs {
            let (low, reference) = try PairedSource.load(pair)
            let enhanced = Image(tensor: recipe.enhanced(low)).tensor()
            l1 += zip(enhanced.scalars, reference.scalars).reduce(0) { $0 + Double(abs($1.0 - $1.1)) } / Double(enhanced.scalarCount)
            psnrTotal += psnr(enhanced, reference)
            ssimTotal += ssim(enhanced, reference)
            count += 1
        }
        guard count > 0 else { return nil }
        let n = Double(count)
        return LossRecord(epoch: epoch, globalStep: globalStep, phase: "validation", total: l1 / n, terms: ["l1": l1 / n],
                          learningRate: Double(options.learningRate), imagesPerSecond: 0,
                          metrics: ["psnr": psnrTotal / n, "ssim": ssimTotal / n])
    }

    /// Creates the run folder and locks it for this run: a second run into the same
    /// folder, or a fresh run over an earlier one without `overwrite`, is refused
    /// before any file of the earlier run is touched.
    private func prepareRunDirectory() throws -> RunDirectoryLock {
        let path = options.runDirectory.relativePath
        do {
            try FileManager.default.createDirectory(at: options.previewDirectory, withIntermediateDirectories: true)
        } catch {
            throw TrainingError.runDirectoryUnwritable(path: path, reason: error.localizedDescription)
        }
        let lock = try RunDirectoryLock(options.runDirectory)
        let earlier = [options.checkpointURL, options.lossLogURL].filter { FileManager.default.fileExists(atPath: $0.path) }
        if !options.resume && !options.overwrite, let existing = earlier.first {
            throw TrainingError.runExists(path: path, file: existing.lastPathComponent)
        }
        do {
            try AtomicFile.write(Data("\(settings)\n".utf8), to: options.runDirectory.appendingPathComponent("settings.txt"))
        } catch {
            throw TrainingError.runDirectoryUnwritable(path: path, reason: error.localizedDescription)
        }
        return lock
    }

    /// Restores the checkpoint into the network, `optimizer` and recipe; returns the
    /// position and the loss scaler to continue with (the checkpoint's, else `scaler`).
    private func restore(into optimizer: inout Adam, batchesPerEpoch: Int,
                         scaler: LossScaler) throws -> (TrainingPosition, LossScaler) {
        let url = options.checkpointURL
        guard FileManager.default.fileExists(atPath: url.path) else { throw TrainingError.nothingToResume(path: options.runDirectory.relativePath) }
        let (saved, position, recipeState, trainerState) = try TrainingCheckpoint.load(from: url, into: recipe.network, optimizer: &optimizer,
                                                                         expectedModel: recipe.modelName)
        do {
            try recipe.loadTrainingState(recipeState)
        } catch {
            throw TrainingError.badCheckpoint(file: url.relativePath, reason: error.localizedDescription)
        }
        guard position.batchInEpoch <= batchesPerEpoch else {
            throw TrainingError.badCheckpoint(file: url.relativePath, reason: "its position, batch \(position.batchInEpoch) of the epoch, "
                + "is past the \(batchesPerEpoch) batches an epoch of this data has")
        }
        var current = settings
        current.threads = saved.threads
        guard saved == current else {
            throw TrainingError.settingsDiffer(file: url.relativePath, reason: "was trained with \(saved), this run asks for \(settings)")
        }
        if saved.threads != Runtime.threadCount {
            warn("resuming with \(Runtime.threadCount) threads; the checkpoint was written with \(saved.threads): results may differ in the last bits")
        }
        guard scaler.isEnabled else { return (position, scaler) }
        guard let savedScaler = LossScaler(state: trainerState) else {
            throw TrainingError.badCheckpoint(file: url.relativePath, reason: "a bf16 run's checkpoint without a valid loss scaler (trainer.scale ...)")
        }
        return (position, savedScaler)
    }

    /// Saves a checkpoint unless the weights stopped being finite numbers, in which
    /// case the run stops and the previous checkpoint stays as it was.
    private func saveCheckpoint(_ optimizer: Adam, _ scaler: LossScaler, _ position: TrainingPosition,
                                replacing lastStep: inout Int?) throws {
        do {
            try recipe.network.stateDict().validateFinite()
        } catch {
            throw TrainingError.diverged(step: position.globalStep, what: "weight \(error.localizedDescription)",
                                         checkpoint: options.checkpointURL.relativePath, checkpointStep: lastStep)
        }
        try TrainingCheckpoint.save(to: options.checkpointURL, network: recipe.network, optimizer: optimizer,
                                    recipeState: recipe.trainingState(),
                                    trainerState: scaler.isEnabled ? scaler.state() : StateDict(),
                                    position: position, settings: settings)
        lastStep = position.globalStep
    }
}
