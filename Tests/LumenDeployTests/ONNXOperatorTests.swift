import Foundation
import LumenDeploy
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// Every operator Lumen imports, against ONNX Runtime: `scripts/onnx-operator-cases.py`
/// builds one small graph per operator and attribute corner case (Conv groups and
/// asymmetric pads, every Resize convention, both DepthToSpace modes, ...), runs it in
/// ONNX Runtime, and Lumen runs the same graph on the same input.
@Suite(.tags(.golden)) struct ONNXOperatorTests {
    @Test(.fixtures(ConformanceTools.python)) func everyOperatorMatchesONNXRuntime() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let generator = try ConformanceTools.run("scripts/onnx-operator-cases.py", [root.path])
        try #require(generator.status == 0, "the case generator failed: \(generator.standardError)")
        let names = try String(contentsOf: root.appendingPathComponent("cases.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(names.count >= 50)
        var operators = Set<String>()
        for name in names {
            let file = root.appendingPathComponent("\(name).onnx")
            let model = try ONNXModel(contentsOf: file)
            operators.formUnion(try ONNX.Model.load(contentsOf: file).graph.nodes.map(\.opType))
            let input = try ConformanceTools.readFloats(root.appendingPathComponent("\(name).input.f32"))
            let expected = try ConformanceTools.readFloats(root.appendingPathComponent("\(name).expected.f32"))
            let output = try withoutGradients { try model.run(input) }
            guard output.shape == expected.shape else {
                Issue.record("\(name): Lumen gives \(output.shape), ONNX Runtime \(expected.shape)")
                continue
            }
            let largest = maxAbsoluteDifference(output.scalars, expected.scalars)
            #expect(largest <= 1e-5, "\(name): largest difference \(largest)")
        }
        // Each operator in the import table has a case (shape arithmetic is covered by Lumen's exports).
        let covered = ONNXModel.supportedOperators.subtracting(["Shape", "Mod"])
        #expect(covered.subtracting(operators).isEmpty, "operators without a case: \(covered.subtracting(operators).sorted())")
    }
}
