import Foundation
import LumenDeploy
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// An ONNX file is untrusted input: every way a graph can be wrong is an error that
/// names the file, the node at fault and the reason, before or instead of any kernel.
@Suite struct ONNXImportErrorTests {
    /// `input [1, 3, H, W]` through `nodes` to `output`, with `initializers`.
    static func model(_ nodes: [ONNX.Node], initializers: [ONNX.Tensor] = [], opset: Int64 = 17,
                      outputs: [String] = ["output"]) -> ONNX.Model {
        let image = ONNX.ValueInfo(name: "input", elementType: 1, shape: [.value(1), .value(3), .parameter("h"), .parameter("w")])
        let graph = ONNX.Graph(name: "g", nodes: nodes, initializers: initializers, inputs: [image],
                               outputs: outputs.map { ONNX.ValueInfo(name: $0, elementType: 1) })
        return ONNX.Model(irVersion: 8, operatorSets: [ONNX.OperatorSet(version: opset)], graph: graph)
    }

    static func relu(_ input: String, _ output: String, name: String) -> ONNX.Node {
        ONNX.Node(opType: "Relu", inputs: [input], outputs: [output], name: name)
    }

    /// Expects loading (or running, on a `[1, 3, 4, 4]` input) to fail with `node` and a reason containing `reason`.
    func expectRefusal(_ model: ONNX.Model, node: String?, reason: String, whenRun: Bool = false,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) {
            let loaded = try ONNXModel(model, file: "bad.onnx")
            if whenRun { _ = try loaded.run(Tensor(zeros: [1, 3, 4, 4])) }
        } throws: { error in
            guard let error = error as? ONNXImportError else { return false }
            return error.file == "bad.onnx" && error.node == node && error.reason.contains(reason)
                && error.localizedDescription.hasPrefix("bad.onnx: ")
        }
    }

    @Test func anUnknownOperatorOrDomainIsNamed() {
        expectRefusal(Self.model([ONNX.Node(opType: "Einsum", inputs: ["input"], outputs: ["output"], name: "mix")]),
                      node: "'mix' (Einsum)", reason: "operator Einsum is not supported")
        expectRefusal(Self.model([ONNX.Node(opType: "Relu", inputs: ["input"], outputs: ["output"], name: "r", domain: "com.microsoft")]),
                      node: "'r' (Relu)", reason: "domain 'com.microsoft' is not supported")
    }

    @Test func opsetsLumenDoesNotKnowAreRefused() {
        expectRefusal(Self.model([Self.relu("input", "output", name: "r")], opset: 28), node: nil,
                      reason: "opset 28 is not supported: Lumen runs opsets 11 to 22")
        expectRefusal(Self.model([Self.relu("input", "output", name: "r")], opset: 9), node: nil, reason: "opset 9 is not supported")
    }

    @Test func cyclesMissingInputsAndDoubleDefinitionsAreRefused() {
        let cycle = [Self.relu("input", "a", name: "first"),
                     ONNX.Node(opType: "Add", inputs: ["a", "c"], outputs: ["b"], name: "second"),
                     Self.relu("b", "c", name: "third"), Self.relu("c", "output", name: "last")]
        expectRefusal(Self.model(cycle), node: "'second' (Add)", reason: "cycle")
        expectRefusal(Self.model([Self.relu("nowhere", "output", name: "r")]), node: "'r' (Relu)",
                      reason: "input 'nowhere' is not produced by any node, initializer or graph input")
        expectRefusal(Self.model([Self.relu("input", "output", name: "r"), Self.relu("input", "output", name: "again")]),
                      node: "'again' (Relu)", reason: "value 'output' is produced twice")
        expectRefusal(Self.model([Self.relu("input", "x", name: "r")]), node: nil, reason: "the graph output 'output' is never produced")
        expectRefusal(Self.model([Self.relu("input", "output", name: "r")], outputs: ["output", "input"]), node: nil,
                      reason: "Lumen runs image models with one of each")
    }

    @Test func nodesWhoseInputsDisagreeFailWhenRunNamingTheNode() {
        let weight = ONNX.Tensor(name: "w", dims: [8, 4, 3, 3], floats: Array(repeating: 0.1, count: 8 * 4 * 9))
        expectRefusal(Self.model([ONNX.Node(opType: "Conv", inputs: ["input", "w"], outputs: ["output"], name: "conv1")], initializers: [weight]),
                      node: "'conv1' (Conv)", reason: "do not fit 1 group(s)", whenRun: true)
        let bias = ONNX.Tensor(name: "b", dims: [2, 1, 1], floats: [1, 2])
        expectRefusal(Self.model([ONNX.Node(opType: "Add", inputs: ["input", "b"], outputs: ["output"], name: "add")], initializers: [bias]),
                      node: "'add' (Add)", reason: "do not broadcast", whenRun: true)
        let scales = ONNX.Tensor(name: "s", dims: [4], floats: [1, 1, 1e9, 1e9])
        expectRefusal(Self.model([ONNX.Node(opType: "Resize", inputs: ["input", "", "s"], outputs: ["output"], name: "up")], initializers: [scales]),
                      node: "'up' (Resize)", reason: "give an output of 4000000000.0 pixels", whenRun: true)
        let pads = ONNX.Tensor(name: "p", dims: [8], int64s: [0, 0, 1 << 40, 0, 0, 0, 1 << 40, 0])
        expectRefusal(Self.model([ONNX.Node(opType: "Pad", inputs: ["input", "p"], outputs: ["output"], name: "pad")], initializers: [pads]),
                      node: "'pad' (Pad)", reason: "more than Lumen allocates", whenRun: true)
    }

    @Test func anInputThatDisagreesWithTheDeclaredShapeIsRefused() throws {
        let model = try ONNXModel(Self.model([Self.relu("input", "output", name: "r")]), file: "m.onnx")
        #expect { try model.run(Tensor(zeros: [1, 4, 5, 5])) } throws: { error in
            (error as? ONNXImportError)?.reason == "input 'input' is [1, 4, 5, 5] where the graph declares [1, 3, ?, ?]"
        }
        #expect(try model.run(Tensor(zeros: [1, 3, 2, 7])).shape == [1, 3, 2, 7], "height and width are dynamic")
    }

    @Test func aTruncatedOrForeignFileNamesTheFile() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let bytes = Self.model([Self.relu("input", "output", name: "r")]).serialized()
        let truncated = root.appendingPathComponent("cut.onnx")
        try bytes.prefix(bytes.count - 3).write(to: truncated)
        #expect { try ONNXModel(contentsOf: truncated) } throws: { error in
            let error = error as? ONNXImportError
            return error?.file.hasSuffix("cut.onnx") == true && error?.node == nil && error?.reason.contains("truncated") == true
        }
        let photo = root.appendingPathComponent("photo.onnx")
        try Data([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).write(to: photo)
        #expect(throws: ONNXImportError.self) { try ONNXModel(contentsOf: photo) }
    }
}
