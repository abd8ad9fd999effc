import Foundation
import Lumen
import LumenImaging
import LumenIO
import LumenTensor
import LumenTestSupport
import LumenTraining
import Testing

/// Supervised runs of the gain U-Net and the parametric enhancer: photos darkened
/// on the fly, validation pairs with PSNR and SSIM, exact resume under the cosine schedule.
@Suite(.tags(.slow)) struct SupervisedTrainingTests {
    private func options(_ data: URL, _ run: URL, validation: URL? = nil, epochs: Int, resume: Bool = false) -> TrainingOptions {
        TrainingOptions(data: .synthesized(from: data, degradation: Degradation()), runDirectory: run, epochs: epochs,
                        batchSize: 3, learningRate: 1e-3, size: 32, seed: 4, validation: validation, schedule: .cosine,
                        resume: resume, checkpointInterval: 2, previewCount: 2)
    }

    /// Two validation pairs: real photos and a darkened copy.
    private func validationPairs() throws -> URL {
        let photos = try trainingSubset(count: 2)
        defer { try? FileManager.default.removeItem(at: photos) }
        let pairs = try FileManager.default.contentsOfDirectory(at: photos, includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
            .map { url in
                let high = withoutGradients { try! Image(contentsOf: url).rgb().tensor().avgPool2d(kernelSize: 8) }
                return (name: url.deletingPathExtension().lastPathComponent + ".png", low: withoutGradients { high * 0.3 }, high: high)
            }
        return try makePairsFolder(pairs)
    }

    @Test(.fixtures(trainingData))
    func aGainUNetRunValidatesOnPairsAndWritesEveryArtefact() throws {
        let data = try trainingSubset(count: 6), validation = try validationPairs(), run = try makeTemporaryDirectory()
        defer { for url in [data, validation, run] { try? FileManager.default.removeItem(at: url) } }
        var summaries: [EpochSummary] = []
        let outcome = try Trainer(recipe: SupervisedRecipe(.gainUNet, seed: 1), options: options(data, run, validation: validation, epochs: 2)) { _ in }
            .run(epochFinished: { summaries.append($0) })
        #expect(outcome == .finished(weights: run.appendingPathComponent("gain-unet.safetensors")))
        for name in ["checkpoint.safetensors", "losses.jsonl", "loss-curve.png", "validation-curve.png", "previews/epoch-002.png"] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(name).path), "\(name)")
        }
        let preview = try Image(contentsOf: run.appendingPathComponent("previews/epoch-001.png"))
        #expect(preview.width == 2 * 32 && preview.height == 3 * 32, "inputs, outputs and targets")
        #expect(summaries.count == 2)
        for summary in summaries {
            let (psnr, ssim) = (try #require(summary.psnr), try #require(summary.ssim))
            #expect(psnr > 5 && psnr < 60 && ssim > 0 && ssim <= 1, "\(psnr) dB, SSIM \(ssim)")
        }
        let records = try String(contentsOf: run.appendingPathComponent("losses.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(records.filter { $0.contains("\"validation\"") && $0.contains("\"psnr\"") }.count == 2)
        let trained = try ModelKind.gainUNet.load(weights: run.appendingPathComponent("gain-unet.safetensors"))
        #expect(trained is GainUNet)
    }

    @Test(.fixtures(trainingData))
    func validationRunsEveryIntervalAndAfterTheLastEpoch() throws {
        let data = try trainingSubset(count: 3), validation = try validationPairs(), run = try makeTemporaryDirectory()
        defer { for url in [data, validation, run] { try? FileManager.default.removeItem(at: url) } }
        var options = options(data, run, validation: validation, epochs: 3)
        options.validationInterval = 2
        var summaries: [EpochSummary] = []
        _ = try Trainer(recipe: SupervisedRecipe(.parametric, seed: 1), options: options) { _ in }.run(epochFinished: { summaries.append($0) })
        #expect(summaries.map(\.epoch) == [1, 2, 3])
        #expect(summaries.map { $0.psnr != nil } == [false, true, true])
    }

    @Test(.fixtures(trainingData), arguments: [ModelKind.gainUNet, .parametric])
    func resumingReproducesAnUninterruptedRunExactly(kind: ModelKind) throws {
        let data = try trainingSubset(count: 6), whole = try makeTemporaryDirectory(), split = try makeTemporaryDirectory()
        defer { for url in [data, whole, split] { try? FileManager.default.removeItem(at: url) } }
        let uninterrupted = try Trainer(recipe: SupervisedRecipe(kind, seed: 5), options: options(data, whole, epochs: 2)) { _ in }.run()
        var steps = 0
        _ = try Trainer(recipe: SupervisedRecipe(kind, seed: 5), options: options(data, split, epochs: 2)) { _ in }
            .run(shouldStop: { steps += 1; return steps == 3 })
        let resumed = try Trainer(recipe: SupervisedRecipe(kind, seed: 77), options: options(data, split, epochs: 2, resume: true)) { _ in }.run()
        guard case .finished(let a) = uninterrupted, case .finished(let b) = resumed else {
            Issue.record("runs did not finish: \(uninterrupted), \(resumed)")
            return
        }
        let weights = { (url: URL) in try Safetensors.read(contentsOf: url).tensors.mapValues(\.scalars) }
        #expect(try weights(a) == weights(b))
    }

    @Test(.fixtures(trainingData))
    func theDataMustSuitTheModel() throws {
        let data = try trainingSubset(count: 2), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        var photos = options(data, run, epochs: 1)
        photos.data = .images(data)
        #expect {
            try Trainer(recipe: SupervisedRecipe(.gainUNet, seed: 0), options: photos) { _ in }.run()
        } throws: { error in
            (error as? TrainingError).map { if case .dataDoesNotFit(model: "gain-unet", _) = $0 { true } else { false } } ?? false
        }
        #expect {
            try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 0), options: options(data, run, epochs: 1)) { _ in }.run()
        } throws: { error in
            (error as? TrainingError).map { if case .dataDoesNotFit(model: "zero-dce", _) = $0 { true } else { false } } ?? false
        }
    }
}
