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
    static let python = Fixtures.packageRoot.appendingPathComponent(".build/conformance-venv/bin/python")

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
        let process = Process()
        process.executableURL = try Fixtures.require(Self.python)
        process.arguments = [Fixtures.packageRoot.appendingPathComponent("scripts/onnxruntime-run.py").path, onnx.path, png.path, raw.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the model fails onnx.checker or ONNX Runtime")

        let bytes = try Data(contentsOf: raw)
        let words = bytes.withUnsafeBytes { Array($0.bindMemory(to: UInt32.self)).map(UInt32.init(littleEndian:)) }
        let shape = words.prefix(4).map(Int.init), values = words.dropFirst(4).map { Float(bitPattern: $0) }
        let photo = try Image(contentsOf: png)
        let lumen = try withoutGradients { try ModelKind(rawValue: model)!.pretrained().enhanced(photo.rgb().tensor()) }
        #expect(shape == lumen.shape.dimensions)
        let largest = zip(values, lumen.scalars).map { abs($0 - $1) }.max() ?? .infinity
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
