import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// `lumen upscale`, `lumen denoise`, `lumen eval --task` and `lumen train` of the
/// restoration models, run as a user would on real files, and their bad input.
@Suite(.tags(.endToEnd)) struct RestorationCommandTests {
    static let set5 = Fixtures.data("restoration/sr-test/Set5")
    static let set12 = Fixtures.data("restoration/denoise-test/Set12")
    static func weights(_ path: String) -> URL { Fixtures.shared("fixtures/restoration/weights/" + path) }

    /// A temporary folder holding copies of `files`.
    static func folder(with files: [URL]) throws -> URL {
        let folder = try makeTemporaryDirectory()
        for file in files { try FileManager.default.copyItem(at: file, to: folder.appendingPathComponent(file.lastPathComponent)) }
        return folder
    }

    @Test(.fixtures(set5)) func upscalesWithTheBundledModelBesideTheInput() throws {
        let folder = try Self.folder(with: [Fixtures.require(Self.set5.appendingPathComponent("bird.png"))])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runLumen(["upscale", folder.appendingPathComponent("bird.png").path, "--scale", "2", "--tile-size", "100"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("upscaled 1 of 1 images ×2 with espcn"))
        let result = try Image(contentsOf: folder.appendingPathComponent("bird-upscaled.png"))
        #expect(result.width == 576 && result.height == 576 && result.channels == 3)
    }

    @Test(.fixtures(set5)) func upscalingKeepsAlphaAndWrites16Bits() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = try Image(contentsOf: Fixtures.require(Self.set5.appendingPathComponent("butterfly.png")))
        let alpha = Image(width: photo.width, height: photo.height, channels: 1, samples: (0..<(photo.width * photo.height)).map { UInt16($0 % 256) })
        try photo.addingAlpha(alpha).write(to: folder.appendingPathComponent("rgba.png"))
        let output = folder.appendingPathComponent("out.png")
        let run = try runLumen(["upscale", folder.appendingPathComponent("rgba.png").path, "-o", output.path, "--scale", "3", "--bit-depth", "16"])
        #expect(run.status == 0, "\(run.standardError)")
        let result = try Image(contentsOf: output)
        #expect(result.width == 768 && result.channels == 4 && result.bitDepth == 16)
    }

    @Test(.fixtures(weights("opencv-espcn/ESPCN_x2.pb"), set5))
    func badWeightsAndSizesAreErrorsNamingTheFile() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Fixtures.require(Self.set5.appendingPathComponent("bird.png")).path
        let pb = try Fixtures.require(Self.weights("opencv-espcn/ESPCN_x2.pb"))
        let output = folder.appendingPathComponent("out.png")

        let wrongScale = try runLumen(["upscale", input, "-o", output.path, "--weights", pb.path, "--scale", "3"])
        #expect(wrongScale.status != 0)
        #expect(wrongScale.standardError.contains("ESPCN_x2.pb") && wrongScale.standardError.contains("--scale 2"))

        let truncated = folder.appendingPathComponent("cut.pb")
        try Data(contentsOf: pb).prefix(4000).write(to: truncated)
        let cut = try runLumen(["upscale", input, "-o", output.path, "--weights", truncated.path])
        #expect(cut.status != 0 && cut.standardError.contains("cut.pb"))

        let pth = try runLumen(["upscale", input, "-o", output.path, "--weights", Fixtures.require(Self.weights("kair/dncnn_25.pth")).path])
        #expect(pth.status != 0 && pth.standardError.contains("dncnn_25.pth"))

        let huge = try runLumen(["upscale", input, "-o", output.path, "--scale", "4", "--max-pixels", "100000"])
        #expect(huge.status != 0 && huge.standardError.contains("bird.png") && huge.standardError.contains("exceed"))
        #expect(!FileManager.default.fileExists(atPath: output.path))

        let sigma = try runLumen(["denoise", input, "-o", output.path, "--sigma", "15"])
        #expect(sigma.status != 0 && sigma.standardError.contains("σ 25"))
        let model = try runLumen(["upscale", input, "--model", "dncnn"])
        #expect(model.status != 0 && model.standardError.contains("not a super-resolution model"))
    }

    @Test(.fixtures(set12, weights("kair/dncnn_25.pth")))
    func denoisesGrayPhotosKeepingTheirSize() throws {
        let folder = try Self.folder(with: [Fixtures.require(Self.set12.appendingPathComponent("01.png"))])
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let run = try runLumen(["denoise", folder.path, "-o", out.path, "--format", "tiff", "--bit-depth", "16"])
        #expect(run.status == 0, "\(run.standardError)")
        let result = try Image(contentsOf: out.appendingPathComponent("01.tif"))
        #expect(result.width == 256 && result.height == 256 && result.channels == 1 && result.bitDepth == 16)
        let kair = try runLumen(["denoise", folder.appendingPathComponent("01.png").path, "-o", folder.appendingPathComponent("k.png").path,
                                 "--weights", Fixtures.require(Self.weights("kair/dncnn_25.pth")).path])
        #expect(kair.status == 0, "\(kair.standardError)")
    }

    /// `eval --task sr` reproduces the protocol's bicubic baseline to the README's digits.
    @Test(.fixtures(set5)) func evaluatesSuperResolutionIntoAReport() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try runLumen(["eval", "--task", "sr", "--scale", "2", "--data", Fixtures.require(Self.set5).path,
                                "--methods", "bicubic,espcn", "--out", out.path])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("PSNR-Y (dB) ↑"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any]
        let methods = try #require(summary?["methods"] as? [[String: Any]])
        let bicubic = try #require(methods.first { $0["method"] as? String == "bicubic" }?["means"] as? [String: Double])
        #expect(abs(try #require(bicubic["psnr-y"]) - 33.6818) < 1e-3)
        for name in ["report.html", "charts/psnr-y.svg", "images/espcn/baby.png"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let refused = try runLumen(["eval", "--task", "sr", "--scale", "3", "--data", Fixtures.require(Self.set5).path,
                                    "--methods", "bicubic,dncnn", "--out", out.path])
        #expect(refused.status == 1 && refused.standardError.contains("dncnn"))
    }

    @Test(.fixtures(set12, weights("kair/dncnn_25.pth")))
    func evaluatesDenoisingWithTheProtocolsNoise() throws {
        let folder = try Self.folder(with: [Fixtures.require(Self.set12.appendingPathComponent("01.png"))])
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("report")
        let run = try runLumen(["eval", "--task", "denoise", "--sigma", "25", "--data", folder.path,
                                "--methods", "dncnn:" + Fixtures.require(Self.weights("kair/dncnn_25.pth")).path, "--out", out.path])
        #expect(run.status == 0, "\(run.standardError)")
        let csv = try String(contentsOf: out.appendingPathComponent("per-image.csv"), encoding: .utf8)
        let row = try #require(csv.split(separator: "\n").first { $0.contains("dncnn_25.pth") })
        let psnr = try #require(Double(row.split(separator: ",")[3]))
        #expect(abs(psnr - 30.2076) < 5e-4)  // benchmarks.json, Set12 01.png
    }

    /// A short ESPCN run on two photos writes its weights, which `upscale` then takes.
    @Test(.fixtures(set5)) func trainsESPCNAndUsesItsWeights() throws {
        let data = try Self.folder(with: ["bird.png", "head.png"].map { try Fixtures.require(Self.set5.appendingPathComponent($0)) })
        defer { try? FileManager.default.removeItem(at: data) }
        let run = data.appendingPathComponent("run")
        let training = try runLumen(["train", "espcn", "--scale", "2", "--data", data.path, "--epochs", "2", "--batch-size", "4",
                                     "--crops-per-image", "4", "--out", run.path])
        #expect(training.status == 0, "\(training.standardError)")
        for name in ["espcn.safetensors", "checkpoint.safetensors", "loss-curve.png", "previews/epoch-002.png"] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(name).path), "\(name)")
        }
        let output = data.appendingPathComponent("up.png")
        let upscale = try runLumen(["upscale", data.appendingPathComponent("bird.png").path, "-o", output.path,
                                    "--weights", run.appendingPathComponent("espcn.safetensors").path])
        #expect(upscale.status == 0, "\(upscale.standardError)")
        #expect(try Image(contentsOf: output).width == 576)

        let odd = try runLumen(["train", "espcn", "--scale", "3", "--size", "50", "--data", data.path])
        #expect(odd.status != 0 && odd.standardError.contains("multiple of --scale 3"))
        let validate = try runLumen(["train", "dncnn", "--data", data.path, "--validate", data.path])
        #expect(validate.status != 0 && validate.standardError.contains("lumen eval --task"))
        let sigma = try runLumen(["train", "dncnn", "--data", data.path, "--sigma", "40-10"])
        #expect(sigma.status != 0)
    }
}
