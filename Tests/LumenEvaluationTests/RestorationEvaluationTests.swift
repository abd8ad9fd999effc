import Foundation
import Lumen
@testable import LumenEvaluation
import LumenImaging
import LumenIO
import LumenTestSupport
import Testing

/// The restoration protocols reproduce the reference numbers of
/// `shared/data/restoration/README.md` and `shared/fixtures/restoration/benchmarks.json`.
@Suite(.tags(.golden)) struct RestorationEvaluationTests {
    static let set5 = Fixtures.data("restoration/sr-test/Set5")
    static let set14 = Fixtures.data("restoration/sr-test/Set14")
    static let benchmarks = Fixtures.shared("fixtures/restoration/benchmarks.json")

    static func benchmark(_ path: [String]) throws -> Double {
        var value: Any = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.require(benchmarks)))
        for key in path { value = try #require((value as? [String: Any])?[key]) }
        return try #require(value as? Double)
    }

    static func mean(_ results: EvaluationResults, _ method: String, _ metric: ImageMetric) throws -> Double {
        try #require(results.summaries.first { $0.method == method }?.means[metric])
    }

    /// Bicubic Y-PSNR on Set5 and Set14 (bridge scored on its gray value) at every
    /// scale, per image within 1e-4 dB of the float64 reference, and so the means.
    @Test(.fixtures(set5, set14), arguments: [2, 3, 4])
    func bicubicReproducesTheProtocol(scale: Int) throws {
        for (name, folder) in [("Set5", Self.set5), ("Set14", Self.set14)] {
            let evaluation = RestorationEvaluation(task: .superResolution(scale: scale),
                                                   methods: [EvaluatedRestorer(label: "bicubic", restorer: BicubicUpscaler(scale: scale))])
            let results = try evaluation.run(Fixtures.require(folder), imagesFolder: nil) { _, _, _ in }
            #expect(results.problems.isEmpty)
            for record in results.records where record.method == "bicubic" {
                let stem = (record.sample as NSString).deletingPathExtension
                let reference = try Self.benchmark(["sr", name, "x\(scale)", "per_image", "bicubic", stem])
                #expect(abs(try #require(record.scores[.psnrY]) - reference) < 1e-4, "\(name) \(stem) ×\(scale)")
            }
            let mean = try Self.benchmark(["sr", name, "x\(scale)", "mean", "bicubic"])
            #expect(abs(try Self.mean(results, "bicubic", .psnrY) - mean) < 1e-3)
        }
    }

    /// The protocol's noisy input: bit-identical to the fixture's (NumPy's in-place float64 add).
    @Test(.fixtures(Fixtures.shared("fixtures/restoration/dncnn/bsd68_test002_r250c180_73x61_clean.png")))
    func denoisingInputIsBitIdentical() throws {
        for crop in ["bsd68_test001_r100c200_96x96", "bsd68_test002_r250c180_73x61"] {
            let clean = try Image(contentsOf: Fixtures.require(Fixtures.shared("fixtures/restoration/dncnn/\(crop)_clean.png")))
            let reference = try NumPyArray.load(contentsOf: Fixtures.require(Fixtures.shared("fixtures/restoration/dncnn/\(crop)_input_nchw.npy")))
            #expect(RestorationEvaluation.noisyInput(clean, sigma: 25).scalars == reference.floats)
        }
    }

    /// KAIR's DnCNN-25 on the first BSD68 and Set12 images: the published protocol's
    /// per-image PSNRs within 0.0005 dB (the whole sets: README, "Restoration").
    @Test(.tags(.slow), .fixtures(Fixtures.shared("fixtures/restoration/weights/kair/dncnn_25.pth")))
    func kairDnCNNReproducesPerImagePSNR() throws {
        let model = try RestorationModelKind.dncnn.load(weights: Fixtures.require(Fixtures.shared("fixtures/restoration/weights/kair/dncnn_25.pth")))
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (set, name) in [("BSD68", "test001"), ("Set12", "01")] {
            let subset = folder.appendingPathComponent(set)
            try FileManager.default.createDirectory(at: subset, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Fixtures.require(Fixtures.data("restoration/denoise-test/\(set)/\(name).png")),
                                             to: subset.appendingPathComponent("\(name).png"))
            let results = try RestorationEvaluation(task: .denoising(sigma: 25), methods: [EvaluatedRestorer(label: "dncnn", restorer: model)])
                .run(subset, imagesFolder: nil) { _, _, _ in }
            let reference = try Self.benchmark(["denoise", set, "per_image", name, "psnr_u8"])
            let noisy = try Self.benchmark(["denoise", set, "per_image", name, "psnr_noisy_u8"])
            #expect(abs(try Self.mean(results, "dncnn", .psnr) - reference) < 5e-4, "\(set) \(name)")
            #expect(abs(try Self.mean(results, EvaluationResults.inputLabel, .psnr) - noisy) < 5e-4)
        }
    }

    /// A method of the wrong scale, and an image too small for the scale, are problems naming the file.
    @Test(.fixtures(set5)) func mismatchesAreReportedNotFatal() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Fixtures.require(Fixtures.data("restoration/sr-test/Set5/bird.png")),
                                         to: folder.appendingPathComponent("bird.png"))
        try Image(width: 5, height: 5, channels: 1, samples: Array(repeating: 9, count: 25)).write(to: folder.appendingPathComponent("tiny.png"))
        let results = try RestorationEvaluation(task: .superResolution(scale: 3), methods: [
            EvaluatedRestorer(label: "bicubic", restorer: BicubicUpscaler(scale: 3)),
            EvaluatedRestorer(label: "x2", restorer: BicubicUpscaler(scale: 2)),
        ]).run(folder, imagesFolder: nil) { _, _, _ in }
        #expect(results.problems.contains { $0.contains("tiny.png") && $0.contains("too small") })
        #expect(results.problems.contains { $0.contains("bird.png") && $0.contains("×2") })
        #expect(results.records.contains { $0.method == "bicubic" && $0.scores[.psnrY] != nil })
    }
}
