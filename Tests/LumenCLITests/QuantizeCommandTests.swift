import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// `lumen quantize` as a user runs it: calibrate on photos, write an int8 file, and
/// enhance with it like any weights; bad requests are refused with nothing written.
@Suite(.tags(.endToEnd)) struct QuantizeCommandTests {
    static let official = Fixtures.officialWeights("zero-dce-epoch99.pth")
    static let photos = Fixtures.data("test/sci/medium")
    static let photo = Fixtures.data("test/dicm/01.jpg")

    @Test(.fixtures(official, photos, photo)) func anInt8ModelEnhancesLikeAnyWeights() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let official = try Fixtures.require(Self.official).path, photo = try Fixtures.require(Self.photo).path
        let int8 = root.appendingPathComponent("zero-dce-int8.safetensors")
        let quantize = try runLumen(["quantize", "zero-dce", "--weights", official, "--calibrate", try Fixtures.require(Self.photos).path,
                                     "--limit", "2", "--weight-bits", "8", "--activation-bits", "7", "-o", int8.path])
        #expect(quantize.status == 0, "\(quantize.standardError)")
        #expect(quantize.standardOutput.contains("8-bit weights, 7-bit activations by minmax on 2 photos"), "\(quantize.standardOutput)")
        #expect(quantize.standardOutput.contains("int8 against float on 2 calibration photos: PSNR"), "\(quantize.standardOutput)")
        // About a quarter of the float file: int8 weights, float scales and biases.
        let size = try FileManager.default.attributesOfItem(atPath: int8.path)[.size] as! Int
        #expect(size < 100_000, "\(size) bytes")

        let float = root.appendingPathComponent("float.png"), quantized = root.appendingPathComponent("int8.png")
        #expect(try runLumen(["enhance", photo, "--model", "zero-dce", "--weights", official, "-o", float.path]).status == 0)
        let run = try runLumen(["enhance", photo, "--weights", int8.path, "-o", quantized.path])
        #expect(run.status == 0, "\(run.standardError)")
        let a = try Image(contentsOf: float).samples, b = try Image(contentsOf: quantized).samples
        #expect(a.count == b.count)
        let far = zip(a, b).count { abs(Int($0) - Int($1)) > 1 }
        #expect(Double(far) / Double(a.count) < 0.05, "\(far) of \(a.count) values more than one level apart")

        let wrongModel = try runLumen(["enhance", photo, "--model", "sci", "--weights", int8.path, "-o", root.appendingPathComponent("x.png").path])
        #expect(wrongModel.status != 0 && wrongModel.standardError.contains("this is an int8 zero-dce"), "\(wrongModel.standardError)")
    }

    @Test(.fixtures(official, photos)) func badRequestsAreRefused() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let official = try Fixtures.require(Self.official).path, photos = try Fixtures.require(Self.photos).path
        let out = root.appendingPathComponent("q.safetensors").path
        let model = try runLumen(["quantize", "gain-unet", "--calibrate", photos, "-o", out])
        #expect(model.status != 0 && model.standardError.contains("takes zero-dce, zero-dce-pp, sci, not gain-unet"), "\(model.standardError)")
        let bits = try runLumen(["quantize", "zero-dce", "--weights", official, "--calibrate", photos, "--weight-bits", "4", "-o", out])
        #expect(bits.status != 0 && bits.standardError.contains("--weight-bits must be 7 or 8, got 4"), "\(bits.standardError)")
        let missing = try runLumen(["quantize", "zero-dce", "--weights", official, "--calibrate", root.appendingPathComponent("none").path, "-o", out])
        #expect(missing.status != 0 && missing.standardError.contains("none: no such file or folder"), "\(missing.standardError)")
        let itself = try runLumen(["quantize", "zero-dce", "--weights", official, "--calibrate", photos, "-o", official])
        #expect(itself.status != 0, "\(itself.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing is written for a refused request")

        let damaged = root.appendingPathComponent("damaged.safetensors")
        try Data("not a model".utf8).write(to: damaged)
        let run = try runLumen(["enhance", try Fixtures.require(Self.photos).path, "--weights", damaged.path, "-o", root.appendingPathComponent("out").path])
        #expect(run.status != 0 && run.standardError.contains("damaged.safetensors"), "\(run.standardError)")
    }
}
