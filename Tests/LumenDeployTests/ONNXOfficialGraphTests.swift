import Foundation
import LumenDeploy
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// Graphs that PyTorch's exporter wrote from the official Zero-DCE, Zero-DCE++ and SCI
/// code and weights (`../shared/tools/peers/export_onnx.py`, opset 13, dynamic height
/// and width) run in Lumen as in ONNX Runtime on a real photo.
///
/// Needs the peers' PyTorch 1.13 (`scripts/setup-peers.sh`), which CI does not install
/// (minutes and gigabytes for one test), so the test runs where the peers are set up.
@Suite(.tags(.golden, .slow),
       .enabled(if: Fixtures.exists(ConformanceTools.peersPython), "needs the peers' PyTorch (scripts/setup-peers.sh)"))
struct ONNXOfficialGraphTests {
    @Test func officialExportsMatchONNXRuntime() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let export = try ConformanceTools.run(Fixtures.shared("tools/peers/export_onnx.py").path, ["--dir", root.path],
                                              interpreter: ConformanceTools.peersPython)
        try #require(export.status == 0, "export_onnx.py failed: \(export.standardError)")
        // 480 wide, 624 high: a multiple of Zero-DCE++'s scale 12, which the official graph needs.
        let photo = try Image(contentsOf: Fixtures.require(Fixtures.data("test/dicm/01.jpg"))).rgb().tensor()
            .sliced(axis: 2, range: 0..<624)
        let png = root.appendingPathComponent("photo.png")
        try Image(tensor: photo, bitDepth: 8).write(to: png)
        let input = try Image(contentsOf: png).rgb().tensor()
        let files = Fixtures.files(in: root, withExtensions: ["onnx"])
        #expect(files.count == 8, "four official graphs, as exported and with subnormal weights flushed")
        for file in files {
            let raw = root.appendingPathComponent(file.lastPathComponent + ".f32")
            let runtime = try ConformanceTools.run("scripts/onnxruntime-run.py", [file.path, png.path, raw.path],
                                                   interpreter: ConformanceTools.peersPython)
            try #require(runtime.status == 0, "\(file.lastPathComponent) in ONNX Runtime: \(runtime.standardError)")
            let expected = try ConformanceTools.readFloats(raw, rank: 4)
            let output = try withoutGradients { try ONNXModel(contentsOf: file).run(input) }
            #expect(output.shape == expected.shape)
            let largest = maxAbsoluteDifference(output.scalars, expected.scalars)
            #expect(largest <= 1e-5, "\(file.lastPathComponent): largest difference \(largest)")
        }
    }
}
