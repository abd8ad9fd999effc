import Foundation
import Lumen
import LumenIO
import LumenNN
import LumenTensor
import LumenTestSupport
import LumenTraining
import Testing

/// The GAN recipes: exact resume of both networks, both optimiser groups and the
/// image pool; the pool; the monitor's warnings; the data each recipe accepts.
@Suite struct GANTrainingTests {
    private func options(_ data: TrainingDataSource, _ run: URL, size: Int, resume: Bool = false) -> TrainingOptions {
        var options = TrainingOptions(data: data, runDirectory: run, epochs: 2, batchSize: 2, learningRate: 2e-4, size: size, seed: 5,
                                      resume: resume, checkpointInterval: 100, previewCount: 2)
        options.progressiveSizes = [size / 2, size]
        return options
    }

    @Test(.fixtures(trainingData), arguments: [GANModelKind.cycleGAN, .enlightenGAN])
    func resumingReproducesAnUninterruptedRunExactly(kind: GANModelKind) throws {
        let (dark, normal) = try unpairedTrainingFolders(count: 4)
        let whole = try makeTemporaryDirectory(), split = try makeTemporaryDirectory()
        defer { for url in [dark, normal, whole, split] { try? FileManager.default.removeItem(at: url) } }
        var adversarial = AdversarialOptions()
        adversarial.loss = kind == .cycleGAN ? .lsgan : .wganGP
        adversarial.discriminatorSteps = 2
        adversarial.discriminatorLearningRateRatio = 4
        let recipe = { kind.makeRecipe(seed: 5, adversarial: adversarial) }
        let data = TrainingDataSource.unpaired(dark: dark, normal: normal), size = kind == .cycleGAN ? 48 : 128
        _ = try Trainer(recipe: recipe(), options: options(data, whole, size: size)) { _ in }.run()
        var steps = 0
        let first = try Trainer(recipe: recipe(), options: options(data, split, size: size)) { _ in }
            .run(shouldStop: { steps += 1; return steps == 3 })
        guard case .interrupted = first else { Issue.record("the run was not interrupted: \(first)"); return }
        _ = try Trainer(recipe: recipe(), options: options(data, split, size: size, resume: true)) { _ in }.run()
        let a = try Safetensors.read(contentsOf: whole.appendingPathComponent("checkpoint.safetensors")).tensors
        let b = try Safetensors.read(contentsOf: split.appendingPathComponent("checkpoint.safetensors")).tensors
        #expect(a.keys.contains { $0.hasPrefix("optimizer.discriminator") } && a.keys.contains { $0.hasPrefix("optimizer.generator") })
        if kind == .cycleGAN { #expect(a.keys.contains { $0.hasPrefix("recipe.pool.dark.") }) }
        #expect(Set(a.keys) == Set(b.keys))
        for (key, tensor) in a { #expect(tensor.scalars == b[key]?.scalars, "\(key)") }
        let log = try String(contentsOf: whole.appendingPathComponent("losses.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(log.count == 4 && log.allSatisfy { $0.contains("\"discriminator\"") && $0.contains("\"d_accuracy_real\"") })
    }

    @Test func imagePoolPassesThroughUntilFullThenMixes() throws {
        let pool = ImagePool(capacity: 3)
        var generator = SplitMix64(seed: 1)
        let first = Tensor(shape: [2, 1, 1, 1], scalars: [1, 2])
        #expect(pool.query(first, using: &generator).scalars == [1, 2])
        #expect(pool.query(Tensor(shape: [2, 1, 1, 1], scalars: [3, 4]), using: &generator).scalars.first == 3)
        var shown: Set<Float> = []
        for value in 5..<40 { shown.formUnion(pool.query(Tensor(shape: [1, 1, 1, 1], scalars: [Float(value)]), using: &generator).scalars) }
        #expect(shown.contains { $0 < 5 }, "stored images are shown again")
        #expect(shown.contains { $0 >= 5 }, "new images pass through")
        let saved = StateDict(pool.state(prefix: "pool"))
        #expect(saved.count == 3)
        let restored = ImagePool(capacity: 3)
        try restored.load(saved, prefix: "pool")
        #expect(StateDict(restored.state(prefix: "pool")).keys == saved.keys)
        #expect(throws: StateDictError.self) { try ImagePool(capacity: 2).load(saved, prefix: "pool") }
        // A new size (progressive resizing) starts the pool afresh.
        #expect(pool.query(Tensor(shape: [1, 1, 2, 2], scalars: [9, 9, 9, 9]), using: &generator).scalars == [9, 9, 9, 9])
        #expect(pool.state(prefix: "p").count == 1)
    }

    @Test func monitorWarnsWhenTheDiscriminatorWinsOrOutputsCollapse() {
        let monitor = GANMonitor(patience: 3, repeatInterval: 100)
        let varied = Tensor(shape: [2, 1, 1, 2], scalars: [0, 1, 1, 0]), same = Tensor(shape: [2, 1, 1, 2], scalars: [0.5, 0.5, 0.5, 0.5])
        for _ in 0..<2 { monitor.record(discriminatorLoss: 0.01, accuracy: (1, 1), generated: same, input: varied) }
        #expect(monitor.takeWarnings().isEmpty)
        monitor.record(discriminatorLoss: 0.01, accuracy: (1, 1), generated: same, input: varied)
        let warnings = monitor.takeWarnings()
        #expect(warnings.count == 2 && warnings[0].contains("wins outright") && warnings[1].contains("mode collapse"))
        monitor.record(discriminatorLoss: 0.01, accuracy: (1, 1), generated: same, input: varied)
        #expect(monitor.takeWarnings().isEmpty, "not repeated within the interval")
        // A separating LSGAN discriminator keeps a loss near 0.2: accuracy decides.
        let lsgan = GANMonitor(patience: 2)
        for _ in 0..<2 { lsgan.record(discriminatorLoss: 0.2, accuracy: (1, 0.995), generated: varied, input: varied) }
        #expect(lsgan.takeWarnings().first?.contains("wins outright") == true)
        let healthy = GANMonitor(patience: 1)
        healthy.record(discriminatorLoss: 0.6, accuracy: (0.7, 0.6), generated: varied, input: varied)
        #expect(healthy.takeWarnings().isEmpty)
    }

    @Test(.fixtures(trainingData)) func recipesRefuseTheWrongKindOfData() throws {
        let (dark, normal) = try unpairedTrainingFolders(count: 4)
        let empty = try makeTemporaryDirectory()
        defer { for url in [dark, normal, empty] { try? FileManager.default.removeItem(at: url) } }
        let cyclegan = GANModelKind.cycleGAN.makeRecipe(seed: 0, adversarial: AdversarialOptions())
        let paired = GANModelKind.paired.makeRecipe(seed: 0, adversarial: AdversarialOptions())
        #expect(cyclegan.dataProblem(.pairs(dark))?.contains("two unpaired folders") == true)
        #expect(cyclegan.dataProblem(.unpaired(dark: dark, normal: normal)) == nil)
        #expect(paired.dataProblem(.unpaired(dark: dark, normal: normal))?.contains("learns from pairs") == true)
        #expect(SupervisedRecipe(.gainUNet, seed: 0).dataProblem(.unpaired(dark: dark, normal: normal)) != nil)
        #expect(throws: DatasetError.empty(empty.relativePath)) {
            try TrainingDataSource.unpaired(dark: dark, normal: empty).makeSource()
        }
    }
}
