import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// `lumen export` as a user runs it: the bundled models out to ONNX, run in ONNX
/// Runtime (the conformance venv of `scripts/setup-conformance.sh`) on a real photo
/// and compared with `lumen enhance` on the same photo.
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
        let enhanced = root.appendingPathComponent("enhanced.png")
        let enhance = try runLumen(["enhance", png.path, "--model", model, "--bit-depth", "16", "-o", enhanced.path])
        #expect(enhance.status == 0, "\(enhance.standardError)")

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
        let lumen = try Image(contentsOf: enhanced)
        #expect(shape == [1, 3, lumen.height, lumen.width])
        var largest: Float = 0
        for y in 0..<lumen.height {
            for x in 0..<lumen.width {
                for c in 0..<3 {
                    let ort = min(max(values[(c * lumen.height + y) * lumen.width + x], 0), 1)
                    let ours = Float(lumen.samples[(y * lumen.width + x) * 3 + c]) / 65535
                    largest = max(largest, abs(ort - ours))
                }
            }
        }
        #expect(largest < 2e-5, "largest difference \(largest), beyond 16-bit rounding")
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
