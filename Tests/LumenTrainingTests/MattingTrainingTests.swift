import Foundation
import Lumen
import LumenImaging
import LumenIO
import LumenNN
import LumenTensor
import LumenTestSupport
import LumenTraining
import Testing

/// Matting training: the data it reads, freezing by stage, exact resume across
/// stage boundaries, and the plans it refuses.
@Suite struct MattingTrainingTests {
    /// A matting folder of `count` composites of random colours with procedural mattes.
    func mattingFolder(count: Int, size: Int = 40) throws -> URL {
        let root = try makeTemporaryDirectory()
        for folder in ["image", "alpha"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        var generator = SplitMix64(seed: 9)
        for index in 0..<count {
            let alpha = SyntheticMatte.sample(using: &generator).rendered(width: size, height: size)
            let foreground = Tensor.uniform(shape: [1, 3, size, size], in: 0.4...1, using: &generator)
            let background = Tensor.uniform(shape: [1, 3, size, size], in: 0...0.5, using: &generator)
            let name = "\(index).png"
            try Image(tensor: alpha.composited(foreground: foreground, background: background))
                .write(to: root.appendingPathComponent("image/" + name))
            try alpha.image.write(to: root.appendingPathComponent("alpha/" + name))
        }
        return root
    }

    func options(_ data: URL, _ run: URL, epochs: Int, resume: Bool = false) -> TrainingOptions {
        TrainingOptions(data: .matting(data), runDirectory: run, epochs: epochs, batchSize: 2, learningRate: 1e-4, size: 32,
                        seed: 5, resume: resume, checkpointInterval: 100, previewCount: 2)
    }

    static let twoStages = MattingStagePlan(stages: [
        .init(name: "head", epochs: 1, learningRate: 1e-3, train: ["head"]),
        .init(name: "late", epochs: 1, learningRate: 5e-4, freeze: ["encoder.stem", "encoder.stage1"]),
    ])

    @Test func aHeadOnlyStageLeavesEverythingElseBitIdentical() throws {
        let data = try mattingFolder(count: 4), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        let plan = MattingStagePlan(stages: [Self.twoStages.stages[0]])
        let recipe = try MattingRecipe(.init(frontEnd: .illumination, plan: plan), seed: 5)
        let before = recipe.model.stateDict().map { (key: $0.key, scalars: $0.tensor.scalars) }
        _ = try Trainer(recipe: recipe, options: options(data, run, epochs: 1)) { _ in }.run()
        let after = recipe.model.stateDict()
        // Batch-norm statistics are in the state too: the frozen layers' stay put.
        let changed = before.filter { $0.scalars != after[$0.key]?.scalars }.map(\.key)
        #expect(!changed.isEmpty && changed.allSatisfy { $0.hasPrefix("head.") }, "changed: \(changed)")
        #expect(recipe.frozenKeys.contains("frontEnd.inputConv.weight") && !recipe.frozenKeys.contains("head.output.bias"))
        // The optimiser holds state for the head alone: frozen parameters were never stepped.
        let checkpoint = try Safetensors.read(contentsOf: run.appendingPathComponent("checkpoint.safetensors")).tensors
        let state = checkpoint.keys.filter { $0.hasPrefix("optimizer.") && !$0.hasPrefix("optimizer.step") }
        #expect(!state.isEmpty && state.allSatisfy { $0.hasPrefix("optimizer.head.") }, "\(state.sorted().prefix(4))")
    }

    @Test(arguments: [2, 3])
    func resumingAcrossAStageBoundaryIsExact(stopAfter: Int) throws {
        let data = try mattingFolder(count: 4), whole = try makeTemporaryDirectory(), split = try makeTemporaryDirectory()
        defer { for url in [data, whole, split] { try? FileManager.default.removeItem(at: url) } }
        let recipe = { try MattingRecipe(.init(frontEnd: .none, plan: Self.twoStages), seed: 5) }
        _ = try Trainer(recipe: recipe(), options: options(data, whole, epochs: 2)) { _ in }.run()
        var steps = 0
        let first = try Trainer(recipe: recipe(), options: options(data, split, epochs: 2)) { _ in }
            .run(shouldStop: { steps += 1; return steps == stopAfter })
        guard case .interrupted = first else { Issue.record("the run was not interrupted: \(first)"); return }
        _ = try Trainer(recipe: recipe(), options: options(data, split, epochs: 2, resume: true)) { _ in }.run()
        let a = try Safetensors.read(contentsOf: whole.appendingPathComponent("checkpoint.safetensors")).tensors
        let b = try Safetensors.read(contentsOf: split.appendingPathComponent("checkpoint.safetensors")).tensors
        #expect(Set(a.keys) == Set(b.keys))
        for (key, tensor) in a { #expect(tensor.scalars == b[key]?.scalars, "\(key)") }
        // The log shows each stage's learning rate.
        let log = try String(contentsOf: whole.appendingPathComponent("losses.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(log.count == 4 && log[0].contains("\"learningRate\":0.0010000000474974513")
                && log[3].contains("\"learningRate\":0.0005000000237487257"))
    }

    @Test func plansNamingMissingPartsAreRefused() throws {
        let plan = MattingStagePlan(stages: [.init(name: "deep", epochs: 1, learningRate: 1e-4, freeze: ["encoder.stage9"])])
        let error = #expect(throws: MattingStagePlanError.self) { try MattingRecipe(.init(plan: plan), seed: 1) }
        #expect(error?.localizedDescription.contains("stage 1 (\"deep\") names encoder.stage9, which is no part of this network") == true)
        #expect(error?.localizedDescription.contains("encoder.stage5, decoder, head") == true, "\(error?.localizedDescription ?? "")")
        let frontEnd = MattingStagePlan(stages: [.init(name: "f", epochs: 1, learningRate: 1e-4, train: ["frontEnd"])])
        #expect(throws: MattingStagePlanError.self) { try MattingRecipe(.init(frontEnd: .none, plan: frontEnd), seed: 1) }
        let both = MattingStagePlan(stages: [.init(name: "b", epochs: 1, learningRate: 1e-4, train: ["head"], freeze: ["decoder"])])
        #expect(throws: MattingStagePlanError.self) { try MattingRecipe(.init(plan: both), seed: 1) }
        #expect(MattingStagePlan.seed(frontEnd: true).epochs == 60)
    }

    @Test func alphasOfAnotherSizeOrInColourAreRefusedByName() throws {
        let data = try mattingFolder(count: 2)
        defer { try? FileManager.default.removeItem(at: data) }
        try Matte(width: 20, height: 40, levels: [UInt8](repeating: 9, count: 800)).image
            .write(to: data.appendingPathComponent("alpha/1.png"))
        let size = #expect(throws: DatasetError.self) { try MattingSource(data) }
        #expect(size?.localizedDescription.contains("alpha/1.png is 20x40") == true, "\(size?.localizedDescription ?? "")")
        try Image(width: 40, height: 40, channels: 3, samples: (0..<4800).map { UInt16($0 % 3 * 40) })
            .write(to: data.appendingPathComponent("alpha/1.png"))
        let colour = #expect(throws: DatasetError.self) { try MattingSource(data) }
        #expect(colour?.localizedDescription.contains("alpha/1.png is not a grayscale matte") == true, "\(colour?.localizedDescription ?? "")")
    }
}
