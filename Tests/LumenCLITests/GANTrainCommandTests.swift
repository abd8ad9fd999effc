import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// `lumen train gan-paired | cyclegan | enlighten-gan` as a user runs them on tiny
/// data, and their bad input.
@Suite(.tags(.endToEnd, .slow)) struct GANTrainCommandTests {
    static let trainingData = Fixtures.data("train-unpaired")

    @Test(.fixtures(trainingData))
    func trainsCycleGANAndEnlightenGANOnUnpairedFolders() throws {
        let (dark, normal) = try unpairedTrainingFolders(count: 3), run = try makeTemporaryDirectory()
        defer { for url in [dark, normal, run] { try? FileManager.default.removeItem(at: url) } }
        let cyclegan = try runLumen(["train", "cyclegan", "--data", dark.path, "--normal", normal.path, "--out", run.path,
                                     "--epochs", "2", "--batch-size", "2", "--progressive", "32,48", "--preview-every", "1",
                                     "--d-steps", "2", "--d-lr-ratio", "4"])
        #expect(cyclegan.status == 0, "\(cyclegan.standardError)")
        for name in ["cyclegan.safetensors", "checkpoint.safetensors", "loss-curve.png", "previews/epoch-002.png", "previews/step-000003.png"] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(name).path), "\(name)")
        }
        let preview = try Image(contentsOf: run.appendingPathComponent("previews/epoch-002.png"))
        #expect(preview.height == 3 * 48, "input, output and a normal photo per column")
        let settings = try String(contentsOf: run.appendingPathComponent("settings.txt"), encoding: .utf8)
        #expect(settings.contains("progressiveSizes: Optional([32, 48])") && settings.contains("\"d-steps\": \"2\""))

        let enlighten = try runLumen(["train", "enlighten-gan", "--data", dark.path, "--normal", normal.path, "--out", run.path,
                                      "--overwrite", "--epochs", "1", "--batch-size", "2", "--size", "64",
                                      "--adversarial-loss", "wgan-gp"])
        #expect(enlighten.status == 0, "\(enlighten.standardError)")
        let weights = try Safetensors.read(contentsOf: run.appendingPathComponent("enlighten-gan.safetensors"))
        #expect(weights.metadata["lumen.model"] == "enlighten-gan")
        #expect(weights.metadata["lumen.architecture"]?.hasPrefix("attention-unet-generator") == true)
        let lit = run.appendingPathComponent("lit.png")
        let enhance = try runLumen(["enhance", Fixtures.packageRoot.appendingPathComponent("Resources/samples/astronaut-dark.jpg").path,
                                    "-o", lit.path, "--model", "enlighten-gan", "--tile-size", "128",
                                    "--weights", run.appendingPathComponent("enlighten-gan.safetensors").path])
        #expect(enhance.status == 0, "\(enhance.standardError)")
        #expect(FileManager.default.fileExists(atPath: lit.path))
    }

    @Test(.fixtures(trainingData))
    func trainsThePairedGANOnPhotosDarkenedOnTheFly() throws {
        let (_, normal) = try unpairedTrainingFolders(count: 3), run = try makeTemporaryDirectory()
        defer { for url in [normal, run] { try? FileManager.default.removeItem(at: url) } }
        let result = try runLumen(["train", "gan-paired", "--synthesize", normal.path, "--out", run.path, "--epochs", "1",
                                   "--batch-size", "2", "--size", "32", "--adversarial-loss", "relativistic"])
        #expect(result.status == 0, "\(result.standardError)")
        let log = try String(contentsOf: run.appendingPathComponent("losses.jsonl"), encoding: .utf8)
        for term in ["\"l1\"", "\"ssim\"", "\"adversarial\"", "\"discriminator\"", "\"d_accuracy_fake\""] {
            #expect(log.contains(term), "\(term)")
        }
    }

    @Test(.fixtures(trainingData))
    func badGANInputIsNamed() throws {
        let (dark, normal) = try unpairedTrainingFolders(count: 3), run = try makeTemporaryDirectory(), empty = try makeTemporaryDirectory()
        defer { for url in [dark, normal, run, empty] { try? FileManager.default.removeItem(at: url) } }
        let noNormal = try runLumen(["train", "cyclegan", "--data", dark.path, "--out", run.path])
        #expect(noNormal.status != 0 && noNormal.standardError.contains("--normal"), "\(noNormal.standardError)")
        let emptyNormal = try runLumen(["train", "cyclegan", "--data", dark.path, "--normal", empty.path, "--out", run.path,
                                        "--size", "32"])
        #expect(emptyNormal.status != 0 && emptyNormal.standardError.contains(empty.lastPathComponent), "\(emptyNormal.standardError)")
        let pairs = try runLumen(["train", "gan-paired", "--data", dark.path, "--out", run.path])
        #expect(pairs.status != 0 && pairs.standardError.contains("--pairs"), "\(pairs.standardError)")
        let mismatched = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: mismatched) }
        try FileManager.default.copyItem(at: dark, to: mismatched.appendingPathComponent("low"))
        try FileManager.default.copyItem(at: normal, to: mismatched.appendingPathComponent("high"))
        let unmatched = try runLumen(["train", "gan-paired", "--pairs", mismatched.path, "--out", run.path, "--size", "32"])
        #expect(unmatched.status != 0 && unmatched.standardError.contains("unmatched"), "\(unmatched.standardError)")
        let size = try runLumen(["train", "enlighten-gan", "--data", dark.path, "--normal", normal.path, "--size", "60"])
        #expect(size.status != 0 && size.standardError.contains("multiples of 8"), "\(size.standardError)")
        let flag = try runLumen(["train", "sci", "--data", dark.path, "--d-steps", "3"])
        #expect(flag.status != 0 && flag.standardError.contains("for the GANs"), "\(flag.standardError)")
    }
}

extension GANTrainCommandTests {
    @Test(.fixtures(trainingData, Fixtures.officialWeights("zero-dce-epoch99.pth")))
    func perceptualWeightsThatAreNotVGG19AreRefused() throws {
        let (dark, normal) = try unpairedTrainingFolders(count: 3), run = try makeTemporaryDirectory()
        defer { for url in [dark, normal, run] { try? FileManager.default.removeItem(at: url) } }
        let notVGG = try Fixtures.require(Fixtures.officialWeights("zero-dce-epoch99.pth"))
        let result = try runLumen(["train", "enlighten-gan", "--data", dark.path, "--normal", normal.path, "--out", run.path,
                                   "--size", "64", "--perceptual-weights", notVGG.path])
        #expect(result.status != 0)
        #expect(result.standardError.contains("zero-dce-epoch99.pth") && result.standardError.contains("VGG19"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoint.safetensors").path))
        let cyclegan = try runLumen(["train", "cyclegan", "--data", dark.path, "--normal", normal.path, "--perceptual-weights", notVGG.path])
        #expect(cyclegan.status != 0 && cyclegan.standardError.contains("no perceptual term"), "\(cyclegan.standardError)")
    }
}
