import Foundation
import Lumen
import LumenIO
import LumenNN
import LumenTensor
import LumenTestSupport
@testable import LumenTraining
import Testing

/// Runs that would lose or corrupt work are refused, and checkpoints are
/// range-checked before anything trusts them.
@Suite(.tags(.slow)) struct TrainingReliabilityTests {
    private func options(_ data: URL, _ run: URL, resume: Bool = false, overwrite: Bool = false, lr: Float = 1e-3) -> TrainingOptions {
        TrainingOptions(data: .images(data), runDirectory: run, epochs: 1, batchSize: 4, learningRate: lr, size: 32,
                        seed: 5, resume: resume, overwrite: overwrite, checkpointInterval: 1, previewCount: 2)
    }

    private func train(_ data: URL, _ run: URL, resume: Bool = false, overwrite: Bool = false, lr: Float = 1e-3) throws -> TrainingOutcome {
        try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 1), options: options(data, run, resume: resume, overwrite: overwrite, lr: lr)) { _ in }
            .run()
    }

    /// A fresh run into a folder holding a run used to replace its checkpoint and losses.
    @Test(.fixtures(trainingData))
    func aFreshRunDoesNotReplaceAnEarlierOne() throws {
        let data = try trainingSubset(count: 4), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        _ = try train(data, run)
        let checkpoint = try Data(contentsOf: run.appendingPathComponent("checkpoint.safetensors"))
        #expect(throws: TrainingError.runExists(path: run.relativePath, file: "checkpoint.safetensors")) { try train(data, run) }
        #expect(try Data(contentsOf: run.appendingPathComponent("checkpoint.safetensors")) == checkpoint)
        #expect(throws: Never.self) { try train(data, run, overwrite: true) }
    }

    /// Two concurrent runs into one folder both used to succeed with clobbered files.
    @Test(.fixtures(trainingData))
    func aRunFolderInUseIsRefused() throws {
        let data = try trainingSubset(count: 4), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        let held = try RunDirectoryLock(run)
        #expect(throws: TrainingError.runInUse(path: run.relativePath)) { try train(data, run) }
        withExtendedLifetime(held) {}
    }

    /// A diverging run stops with the step, and the last good checkpoint stays as it was.
    @Test(.fixtures(trainingData))
    func divergenceStopsAndKeepsTheLastGoodCheckpoint() throws {
        let data = try trainingSubset(count: 8), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        let error = try #require(throws: TrainingError.self) { try train(data, run, lr: 1e30) }
        guard case let .diverged(step, _, _, checkpointStep) = error else { Issue.record("\(error)"); return }
        #expect(step >= 1)
        #expect(error.localizedDescription.contains("training diverged at step \(step)"))
        let checkpoint = run.appendingPathComponent("checkpoint.safetensors")
        if let checkpointStep {
            let (_, position) = try TrainingCheckpoint.peek(checkpoint)
            #expect(position.globalStep == checkpointStep)
            let tensors = try Safetensors.read(contentsOf: checkpoint).tensors
            #expect(tensors.values.allSatisfy { $0.scalars.allSatisfy { $0.isFinite } })
        } else {
            #expect(!FileManager.default.fileExists(atPath: checkpoint.path))
        }
    }

    /// NaN `--init` weights used to train on and end in "EncodingError.invalidValue: -nan".
    @Test(.fixtures(trainingData))
    func nonFiniteInitialWeightsAreRefused() throws {
        let data = try trainingSubset(count: 4), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        var generator = SplitMix64(seed: 3)
        var tensors: [String: Tensor] = [:]
        for (key, tensor) in ZeroDCE(using: &generator).stateDict() {
            tensors[key] = Tensor(shape: tensor.shape, scalars: [Float](repeating: .nan, count: tensor.scalarCount))
        }
        let weights = run.appendingPathComponent("nan.safetensors")
        try Safetensors.write(tensors, metadata: [modelMetadataKey: "zero-dce"], to: weights)
        var options = options(data, run)
        options.initialWeights = weights
        let error = try #require(throws: (any Error).self) {
            try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 1), options: options) { _ in }.run()
        }
        #expect(error.localizedDescription.contains("nan.safetensors"), "\(error.localizedDescription)")
        #expect(error.localizedDescription.contains("is nan, not a finite number"), "\(error.localizedDescription)")
    }

    /// Rewrites the run's checkpoint with `edit` applied to its tensors and metadata.
    private func tamper(_ run: URL, _ edit: (inout [String: Tensor], inout [String: String]) -> Void) throws {
        let url = run.appendingPathComponent("checkpoint.safetensors")
        var (tensors, metadata, _) = try Safetensors.read(contentsOf: url)
        edit(&tensors, &metadata)
        try Safetensors.write(tensors, metadata: metadata, to: url)
    }

    /// NaN, infinite or huge optimiser steps, and negative positions, used to trap on resume.
    @Test(.fixtures(trainingData))
    func resumeRangeChecksTheCheckpoint() throws {
        let data = try trainingSubset(count: 4), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        _ = try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 1), options: TrainingOptions(
            data: .images(data), runDirectory: run, epochs: 2, batchSize: 4, learningRate: 1e-3, size: 32, seed: 5,
            checkpointInterval: 1, previewCount: 2)) { _ in }.run(shouldStop: { true })
        let original = try Data(contentsOf: run.appendingPathComponent("checkpoint.safetensors"))
        func resumeFails(_ expected: String) throws {
            let error = try #require(throws: (any Error).self) {
                try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 1), options: TrainingOptions(
                    data: .images(data), runDirectory: run, epochs: 2, batchSize: 4, learningRate: 1e-3, size: 32, seed: 5,
                    resume: true, checkpointInterval: 1, previewCount: 2)) { _ in }.run()
            }
            #expect(error.localizedDescription.contains("checkpoint.safetensors"), "\(error.localizedDescription)")
            #expect(error.localizedDescription.contains(expected), "\(error.localizedDescription)")
            try original.write(to: run.appendingPathComponent("checkpoint.safetensors"))
        }
        for step: Float in [.nan, .infinity, 1e30] {
            try tamper(run) { tensors, _ in tensors["optimizer.conv1.weight.step"] = Tensor(step) }
            try resumeFails("conv1.weight.step")
        }
        try tamper(run) { tensors, _ in tensors["model.conv1.bias"] = Tensor(shape: [32], scalars: [Float](repeating: .nan, count: 32)) }
        try resumeFails("conv1.bias: element 0 is nan")
        try tamper(run) { _, metadata in metadata["lumen.position"] = #"{"batchInEpoch":-5,"epoch":0,"globalStep":1}"# }
        try resumeFails("batchInEpoch -5")
        try tamper(run) { _, metadata in metadata["lumen.position"] = #"{"batchInEpoch":7,"epoch":0,"globalStep":7}"# }
        try resumeFails("batch 7 of the epoch")
        try tamper(run) { _, metadata in metadata["lumen.position"] = String(repeating: "[", count: 100_000) }
        try resumeFails("no Lumen training state")
    }
}
