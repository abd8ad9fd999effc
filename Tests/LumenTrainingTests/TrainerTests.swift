import Foundation
import Lumen
import LumenIO
import LumenNN
import LumenTensor
import LumenTestSupport
import LumenTraining
import Testing

@Suite(.tags(.slow)) struct TrainerTests {
    private func options(_ data: URL, _ run: URL, epochs: Int, resume: Bool = false, lr: Float = 1e-3) -> TrainingOptions {
        TrainingOptions(data: .images(data), runDirectory: run, epochs: epochs, batchSize: 4, learningRate: lr, size: 32,
                        seed: 5, resume: resume, checkpointInterval: 3, previewCount: 2)
    }

    private func weights(_ url: URL) throws -> [String: [Float]] {
        try Safetensors.read(contentsOf: url).tensors.mapValues(\.scalars)
    }

    @Test(.fixtures(trainingData))
    func trainingLowersTheLoss() throws {
        let data = try trainingSubset(), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        let recipe = CurveEstimationRecipe(.zeroDCEPlusPlus, seed: 1)
        let batch = try #require(TrainingBatches(source: ImageFolder(data), seed: 9, batchSize: 16, size: 32) { _ in }
            .batches(epoch: 0).next()?.batch)
        let before = withoutGradients { recipe.losses(batch).total.scalar }
        _ = try Trainer(recipe: recipe, options: options(data, run, epochs: 4)) { _ in }.run()
        let after = withoutGradients { recipe.losses(batch).total.scalar }
        #expect(after < before, "loss \(before) -> \(after)")
    }

    @Test(.fixtures(trainingData), arguments: [ModelKind.zeroDCE, .sci])
    func resumingReproducesAnUninterruptedRunExactly(kind: ModelKind) throws {
        let data = try trainingSubset(count: 10), whole = try makeTemporaryDirectory(), split = try makeTemporaryDirectory()
        defer { for url in [data, whole, split] { try? FileManager.default.removeItem(at: url) } }
        let recipe: (UInt64) -> any TrainingRecipe = { kind == .sci ? SCIRecipe(seed: $0) : CurveEstimationRecipe(.zeroDCE, seed: $0) }
        let uninterrupted = try Trainer(recipe: recipe(5), options: options(data, whole, epochs: 2)) { _ in }.run()

        // Stop mid-epoch (after step 2 of 3), then resume with a fresh process-like state.
        var steps = 0
        let first = try Trainer(recipe: recipe(5), options: options(data, split, epochs: 2)) { _ in }
            .run(shouldStop: { steps += 1; return steps == 2 })
        #expect(first == .interrupted(checkpoint: split.appendingPathComponent("checkpoint.safetensors"), globalStep: 2))
        let resumed = try Trainer(recipe: recipe(99), options: options(data, split, epochs: 2, resume: true)) { _ in }.run()

        guard case .finished(let a) = uninterrupted, case .finished(let b) = resumed else {
            Issue.record("runs did not finish: \(uninterrupted), \(resumed)")
            return
        }
        #expect(try weights(a) == weights(b))
        let log = try String(contentsOf: split.appendingPathComponent("losses.jsonl"), encoding: .utf8)
        #expect(log.split(separator: "\n").count == 6, "one record per step, none repeated")
    }

    @Test(.fixtures(trainingData))
    func writesEveryArtefact() throws {
        let data = try trainingSubset(count: 8), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        let outcome = try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 2), options: options(data, run, epochs: 2)) { _ in }.run()
        #expect(outcome == .finished(weights: run.appendingPathComponent("zero-dce.safetensors")))
        for name in ["checkpoint.safetensors", "losses.jsonl", "loss-curve.png", "zero-dce.safetensors",
                     "previews/epoch-001.png", "previews/epoch-002.png"] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(name).path), "\(name)")
        }
        let preview = try Image(contentsOf: run.appendingPathComponent("previews/epoch-002.png"))
        #expect(preview.width == 2 * 32 && preview.height == 2 * 32)
        // The final weights load into the inference model.
        _ = try ModelKind.zeroDCE.load(weights: run.appendingPathComponent("zero-dce.safetensors"))
    }

    @Test(.fixtures(trainingData))
    func aCorruptImageIsSkippedWithAWarningNamingIt() throws {
        let data = try trainingSubset(count: 4), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]).write(to: data.appendingPathComponent("broken.jpg"))
        let warnings = WarningLog()
        let outcome = try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 2), options: options(data, run, epochs: 1)) { warnings.add($0) }.run()
        #expect(outcome == .finished(weights: run.appendingPathComponent("zero-dce.safetensors")))
        #expect(warnings.all.count == 1 && warnings.all[0].contains("broken.jpg"))
    }

    @Test(.fixtures(trainingData)) func badFoldersAndCheckpointsAreNamed() throws {
        let empty = try makeTemporaryDirectory(), run = try makeTemporaryDirectory(), photos = try trainingSubset(count: 2)
        defer { for url in [empty, run, photos] { try? FileManager.default.removeItem(at: url) } }
        #expect(throws: DatasetError.empty(empty.relativePath)) {
            try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 0), options: options(empty, run, epochs: 1)) { _ in }.run()
        }
        let blocker = run.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        #expect {
            // Usable data, checked first; then the run folder cannot be made.
            try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 0), options: options(photos, blocker.appendingPathComponent("run"), epochs: 1)) { _ in }.run()
        } throws: { error in
            (error as? TrainingError).map { if case .runDirectoryUnwritable = $0 { true } else { false } } ?? false
        }
    }

    @Test(.fixtures(trainingData))
    func aCheckpointOfAnotherModelIsRefused() throws {
        let data = try trainingSubset(count: 4), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        _ = try Trainer(recipe: SCIRecipe(seed: 0), options: options(data, run, epochs: 1)) { _ in }.run()
        #expect {
            try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 0), options: options(data, run, epochs: 2, resume: true)) { _ in }.run()
        } throws: { error in
            let message = error.localizedDescription
            return message.contains("checkpoint.safetensors") && message.contains("sci")
        }
    }
}

/// Warnings collected from the trainer's callback.
final class WarningLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}
