import Foundation
import Lumen
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// `lumen export` as a user runs it: the bundled models out to ONNX, run in ONNX
/// Runtime (the conformance venv of `scripts/setup-conformance.sh`) on a real photo
/// and compared with the bundled model's float output on the same photo.
@Suite(.tags(.endToEnd)) struct ExportCommandTests {
    static let photo = Fixtures.data("test/dicm/01.jpg")
    static let python = ConformanceTools.python

    @Test(.fixtures(photo, python), arguments: ["zero-dce", "zero-dce-pp", "sci", "gain-unet"])
    func onnxRuntimeMatchesLumen(model: String) throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        // A PNG, so that both sides read the same pixels (JPEG decoders may differ).
        let png = root.appendingPathComponent("photo.png")
        try Image(contentsOf: Fixtures.require(Self.photo)).write(to: png)
        let onnx = root.appendingPathComponent("\(model).onnx")
        let export = try runLumen(["export", model, "--format", "onnx", "-o", onnx.path])
        #expect(export.status == 0, "\(export.standardError)")

        let raw = root.appendingPathComponent("ort.f32")
        let runtime = try ConformanceTools.run("scripts/onnxruntime-run.py", [onnx.path, png.path, raw.path])
        #expect(runtime.status == 0, "the model fails onnx.checker or ONNX Runtime: \(runtime.standardError)")
        let onnxRuntime = try ConformanceTools.readFloats(raw, rank: 4)
        let photo = try Image(contentsOf: png)
        let lumen = try withoutGradients { try ModelKind(rawValue: model)!.pretrained().enhanced(photo.rgb().tensor()) }
        #expect(onnxRuntime.shape == lumen.shape)
        let largest = maxAbsoluteDifference(onnxRuntime.scalars, lumen.scalars)
        #expect(largest <= 1e-5, "largest difference \(largest)")
    }

    @Test func badRequestsAreRefused() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("m.onnx").path
        let opset = try runLumen(["export", "zero-dce", "-o", out, "--opset", "11"])
        #expect(opset.status != 0 && opset.standardError.contains("--opset must be 13 or 17"))
        let unsupported = try runLumen(["export", "enlighten-gan", "-o", out])
        #expect(unsupported.status != 0 && unsupported.standardError.contains("enlighten-gan has no ONNX graph yet"), "\(unsupported.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing is written for a refused export")
        let missing = try runLumen(["export", "zero-dce", "--weights", root.appendingPathComponent("none.safetensors").path, "-o", out])
        #expect(missing.status != 0 && missing.standardError.contains("none.safetensors"), "\(missing.standardError)")
    }
}
