import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// `lumen enhance` run as a user would, on real photos from `../shared/data/test/`.
@Suite(.tags(.endToEnd)) struct EnhanceCommandTests {
    static let sciWeights = Fixtures.officialWeights("sci-medium.pt")
    static let easyFolder = Fixtures.data("test/sci/easy")

    @Test(.fixtures(sciWeights, easyFolder))
    func enhancesAFolderWithProgressAndSummary() throws {
        let weights = try Fixtures.require(Self.sciWeights), folder = try Fixtures.require(Self.easyFolder)
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try runLumen(["enhance", folder.path, "-o", out.path, "--model", "sci", "--weights", weights.path])
        #expect(run.status == 0, "\(run.standardError)")
        let inputs = Fixtures.files(in: folder, withExtensions: ["png", "jpg", "jpeg"])
        let outputs = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(outputs == inputs.map { $0.deletingPathExtension().lastPathComponent + ".png" }.sorted())
        for input in inputs {
            let original = try Image(contentsOf: input)
            let enhanced = try Image(contentsOf: out.appendingPathComponent(input.deletingPathExtension().lastPathComponent + ".png"))
            #expect(enhanced.width == original.width && enhanced.height == original.height && enhanced.channels == 3)
            #expect(enhanced.samples.reduce(0) { $0 + Int($1) } > original.rgb().samples.reduce(0) { $0 + Int($1) })
        }
        #expect(run.standardError.contains("\(inputs.count)/\(inputs.count) images"))
        #expect(run.standardError.contains("images/s") && run.standardError.contains("ETA"))
        #expect(run.standardOutput.contains("enhanced \(inputs.count) of \(inputs.count) images"))
    }

    @Test(.fixtures(sciWeights, easyFolder))
    func writesSixteenBitPNGAndJPEG() throws {
        let weights = try Fixtures.require(Self.sciWeights)
        let input = try #require(Fixtures.files(in: Fixtures.require(Self.easyFolder), withExtensions: ["png"]).first)
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let png = out.appendingPathComponent("deep.png"), jpeg = out.appendingPathComponent("small.jpg")
        let sixteen = try runLumen(["enhance", input.path, "-o", png.path, "--model", "sci", "--weights", weights.path, "--bit-depth", "16"])
        #expect(sixteen.status == 0, "\(sixteen.standardError)")
        #expect(try Image(contentsOf: png).bitDepth == 16)
        let lossy = try runLumen(["enhance", input.path, "-o", jpeg.path, "--model", "sci", "--weights", weights.path, "--quality", "80"])
        #expect(lossy.status == 0, "\(lossy.standardError)")
        let decoded = try Image(contentsOf: jpeg)
        #expect(decoded.bitDepth == 8 && decoded.channels == 3)
        #expect(try Data(contentsOf: jpeg).starts(with: [0xFF, 0xD8, 0xFF]))
    }

    @Test(.fixtures(Fixtures.officialWeights("zero-dce-pp-epoch99.pth"), easyFolder))
    func convertedWeightsGiveTheSameImage() throws {
        let checkpoint = try Fixtures.require(Fixtures.officialWeights("zero-dce-pp-epoch99.pth"))
        let input = try #require(Fixtures.files(in: Fixtures.require(Self.easyFolder), withExtensions: ["png"]).first)
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let converted = out.appendingPathComponent("zero-dce-pp.safetensors")
        let convert = try runLumen(["convert", checkpoint.path, "--model", "zero-dce-pp", "-o", converted.path])
        #expect(convert.status == 0, "\(convert.standardError)")
        #expect(convert.standardOutput.contains("28 tensors"))
        let fromTorch = out.appendingPathComponent("torch.png"), fromLumen = out.appendingPathComponent("lumen.png")
        _ = try runLumen(["enhance", input.path, "-o", fromTorch.path, "--weights", checkpoint.path])
        _ = try runLumen(["enhance", input.path, "-o", fromLumen.path, "--weights", converted.path])
        #expect(try Image(contentsOf: fromTorch) == Image(contentsOf: fromLumen))
    }

    @Test func listsTheModels() throws {
        let run = try runLumen(["models"])
        #expect(run.status == 0)
        for name in ["zero-dce", "zero-dce-pp", "sci"] { #expect(run.standardOutput.contains(name)) }
    }
}
