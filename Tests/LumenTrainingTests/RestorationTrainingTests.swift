import Foundation
import Lumen
import LumenIO
import LumenTensor
import LumenTestSupport
import LumenTraining
import Testing

/// Restoration models train through the same ``Trainer``: crops degraded on the fly,
/// losses that fall, and an exact resume.
@Suite(.tags(.slow)) struct RestorationTrainingTests {
    static let t91 = Fixtures.data("restoration/sr-train/T91")

    private func subset() throws -> URL {
        let folder = try makeTemporaryDirectory()
        for name in ["t1.png", "t2.png", "t3.png"] {
            try FileManager.default.copyItem(at: Fixtures.require(Self.t91.appendingPathComponent(name)), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    private func options(_ data: URL, _ run: URL, _ degradation: RestorationDegradation, colorModel: RestorationColorModel,
                         size: Int, resume: Bool = false) -> TrainingOptions {
        TrainingOptions(data: .restoration(data, degradation: degradation, colorModel: colorModel, cropsPerImage: 4),
                        runDirectory: run, epochs: 2, batchSize: 4, learningRate: 1e-3, size: size, seed: 3,
                        schedule: .cosine, resume: resume, checkpointInterval: 2, previewCount: 2)
    }

    /// Crops: a luma LR at a third of the size for ESPCN ×3, the clean crop plus noise for a denoiser.
    @Test(.fixtures(t91)) func samplesAreDegradedCrops() throws {
        let data = try subset()
        defer { try? FileManager.default.removeItem(at: data) }
        var generator = SplitMix64(seed: 1)
        let sr = RestorationSource(try ImageFolder(data), degradation: .downscale(scale: 3), colorModel: .opencvLuma, cropsPerImage: 2)
        let pair = try sr.sample(0, slot: 0, batchSize: 1, size: 51, using: &generator)
        #expect(pair.input.shape == [1, 1, 17, 17] && pair.target?.shape == [1, 1, 51, 51])
        let noise = RestorationSource(try ImageFolder(data), degradation: .gaussianNoise(sigma: 25...25), colorModel: .gray, cropsPerImage: 2)
        let noisy = try noise.sample(1, slot: 0, batchSize: 1, size: 40, using: &generator)
        let target = try #require(noisy.target)
        let residual = zip(noisy.input.scalars, target.scalars).map { Double($0 - $1) }
        let deviation = (residual.map { $0 * $0 }.reduce(0, +) / Double(residual.count)).squareRoot()
        #expect(abs(deviation * 255 - 25) < 2, "noise of σ \(deviation * 255)")
        #expect(sr.count == 6)
        #expect(throws: DatasetError.self) { try sr.sample(0, slot: 0, batchSize: 1, size: 4000, using: &generator) }
    }

    @Test(.fixtures(t91), arguments: [RestorationModelKind.espcn, .dncnn, .denoiseAE])
    func resumingReproducesAnUninterruptedRunExactly(kind: RestorationModelKind) throws {
        let data = try subset(), whole = try makeTemporaryDirectory(), split = try makeTemporaryDirectory()
        defer { for url in [data, whole, split] { try? FileManager.default.removeItem(at: url) } }
        let recipe = { RestorationRecipe(kind, scale: 2, seed: 4) }
        let degradation: RestorationDegradation = kind == .espcn ? .downscale(scale: 2) : .gaussianNoise(sigma: 10...30)
        let colorModel = recipe().model.colorModel, size = kind == .denoiseAE ? 32 : 30
        let uninterrupted = try Trainer(recipe: recipe(), options: options(data, whole, degradation, colorModel: colorModel, size: size)) { _ in }.run()
        var steps = 0
        _ = try Trainer(recipe: recipe(), options: options(data, split, degradation, colorModel: colorModel, size: size)) { _ in }
            .run(shouldStop: { steps += 1; return steps == 2 })
        let resumed = try Trainer(recipe: recipe(), options: options(data, split, degradation, colorModel: colorModel, size: size,
                                                                      resume: true)) { _ in }.run()
        guard case .finished(let a) = uninterrupted, case .finished(let b) = resumed else {
            Issue.record("runs did not finish: \(uninterrupted), \(resumed)")
            return
        }
        #expect(try Safetensors.read(contentsOf: a).tensors.mapValues(\.scalars) == Safetensors.read(contentsOf: b).tensors.mapValues(\.scalars))
        let trained = try kind.load(weights: a)
        #expect(trained.scaleFactor == (kind == .espcn ? 2 : 1))
        #expect(FileManager.default.fileExists(atPath: whole.appendingPathComponent("previews/epoch-002.png").path))
    }
}
