import Foundation
import Lumen
import LumenIO
import LumenTensor

/// An ONNX graph run by Lumen's own engine (`lumen enhance --weights model.onnx`).
///
/// Loading checks the whole graph before anything runs: the default-domain opset is
/// one Lumen knows, every node's operator and domain are supported, every input is
/// produced before it is used (nodes are put in dependency order, so a cycle is
/// found), and the graph has one input and one output. Shapes are inferred as the
/// graph runs, from the concrete input's: every operator checks its inputs' shapes
/// before any kernel runs, so dynamic batch, height and width need no declared sizes,
/// and a graph that disagrees with itself is an error naming the node.
///
/// ```swift
/// let model = try ONNXModel(contentsOf: URL(fileURLWithPath: "zero-dce.onnx"))
/// let enhanced = try model.run(image.tensor())   // [1, 3, H, W] -> [1, 3, H, W]
/// ```
public struct ONNXModel: @unchecked Sendable {
    // @unchecked: the constant tensors are immutable after loading.

    /// The file the graph came from, for error messages.
    public let file: String
    /// The graph's name.
    public let name: String
    /// The default domain's opset the model imports.
    public let opset: Int
    /// `metadata_props`, in file order.
    public let metadata: [ONNX.MetadataEntry]
    /// The graph input's name and declared shape (`nil` dimensions are dynamic).
    public let inputName: String
    public let inputShape: [Int?]?
    /// The graph output's name and declared shape.
    public let outputName: String
    public let outputShape: [Int?]?

    private let nodes: [ONNX.Node]
    private let constants: [String: ONNXValue]
    /// For each node, the values it is the last to read, which are freed after it runs.
    private let lastReads: [[String]]

    /// The oldest and newest default-domain opsets Lumen runs. Operators whose
    /// meaning changed in between (Clip, Split, Softmax, ReduceMean, Pad, Resize) follow
    /// the model's opset.
    public static let supportedOpsets = 11...22

    /// The op types of the default domain that Lumen runs.
    public static var supportedOperators: Set<String> { Set(ONNXOperators.all.keys) }

    /// Loads and checks the ONNX model at `url`.
    /// - Throws: ``ONNXImportError`` naming the file and, where one is to blame, the node.
    public init(contentsOf url: URL) throws(ONNXImportError) {
        let model: ONNX.Model
        do { model = try ONNX.Model.load(contentsOf: url) } catch {
            throw ONNXImportError(file: error.file, reason: error.reason)
        }
        try self.init(model, file: url.relativePath)
    }

    /// Checks a decoded model; `file` names it in errors.
    /// - Throws: ``ONNXImportError``.
    public init(_ model: ONNX.Model, file: String) throws(ONNXImportError) {
        func failure(_ reason: String, node: ONNX.Node? = nil) -> ONNXImportError {
            ONNXImportError(file: file, node: node.map(Self.describe), reason: reason)
        }
        let defaultSets = model.operatorSets.filter { $0.domain.isEmpty || $0.domain == "ai.onnx" }
        guard let version = defaultSets.first?.version, defaultSets.count == 1 else {
            throw failure("the model imports no opset of the default ONNX domain")
        }
        guard let opset = Int(exactly: version), Self.supportedOpsets.contains(opset) else {
            throw failure("opset \(version) is not supported: Lumen runs opsets \(Self.supportedOpsets.lowerBound) to \(Self.supportedOpsets.upperBound)")
        }
        let graph = model.graph
        var constants: [String: ONNXValue] = [:]
        for tensor in graph.initializers {
            do { constants[tensor.name] = try ONNXValue(tensor) } catch { throw failure(error.reason) }
        }
        let inputs = graph.inputs.filter { constants[$0.name] == nil }
        guard inputs.count == 1, graph.outputs.count == 1 else {
            throw failure("the graph has \(inputs.count) inputs and \(graph.outputs.count) outputs; Lumen runs image models with one of each")
        }
        for node in graph.nodes {
            guard node.domain.isEmpty || node.domain == "ai.onnx" else { throw failure("domain '\(node.domain)' is not supported", node: node) }
            guard ONNXOperators.all[node.opType] != nil else { throw failure("operator \(node.opType) is not supported", node: node) }
        }
        nodes = try Self.sorted(graph.nodes, available: Set(constants.keys).union([inputs[0].name]), output: graph.outputs[0].name, failure: failure)
        lastReads = Self.lastReads(of: nodes, keeping: graph.outputs[0].name)
        self.constants = constants
        self.file = file
        self.opset = opset
        name = graph.name
        metadata = model.metadata
        inputName = inputs[0].name
        inputShape = Self.declared(inputs[0])
        outputName = graph.outputs[0].name
        outputShape = Self.declared(graph.outputs[0])
    }

    /// Runs the graph on `input`.
    /// - Throws: ``ONNXImportError`` naming the node whose inputs do not fit it, or
    ///   when the input or the result disagrees with the declared shapes.
    public func run(_ input: Tensor) throws(ONNXImportError) -> Tensor {
        try Self.check(input.shape, against: inputShape, what: "input '\(inputName)'", file: file)
        var values: [String: ONNXValue] = constants
        values[inputName] = .float(input)
        for (node, freed) in zip(nodes, lastReads) {
            let context = ONNXNodeContext(node: node, inputs: node.inputs.map { $0.isEmpty ? nil : values[$0] }, opset: opset)
            let outputs: [ONNXValue]
            do { outputs = try ONNXOperators.all[node.opType]!(context) } catch {
                throw ONNXImportError(file: file, node: Self.describe(node), reason: error.reason)
            }
            guard outputs.count == node.outputs.count else {
                throw ONNXImportError(file: file, node: Self.describe(node),
                                      reason: "it declares \(node.outputs.count) outputs where the operator gives \(outputs.count)")
            }
            for (name, value) in zip(node.outputs, outputs) where !name.isEmpty { values[name] = value }
            for name in freed where constants[name] == nil { values[name] = nil }
        }
        guard case .float(let result)? = values[outputName] else {
            throw ONNXImportError(file: file, reason: "output '\(outputName)' is not a float tensor")
        }
        try Self.check(result.shape, against: outputShape, what: "output '\(outputName)'", file: file)
        return result
    }

    // MARK: Checking the graph

    static func describe(_ node: ONNX.Node) -> String {
        "'\(node.name.isEmpty ? node.outputs.first ?? "" : node.name)' (\(node.opType))"
    }

    /// The nodes in an order where every value is produced before it is read
    /// (Kahn's algorithm, stable): a node reading a value nothing produces, a value
    /// produced twice, or a cycle is an error naming a node.
    private static func sorted(_ nodes: [ONNX.Node], available: Set<String>, output: String,
                               failure: (String, ONNX.Node?) -> ONNXImportError) throws(ONNXImportError) -> [ONNX.Node] {
        var producer: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            for name in node.outputs where !name.isEmpty {
                guard producer[name] == nil, !available.contains(name) else { throw failure("value '\(name)' is produced twice", node) }
                producer[name] = index
            }
        }
        var waiting = [Int](repeating: 0, count: nodes.count)
        var readers = [[Int]](repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for name in Set(node.inputs) where !name.isEmpty && !available.contains(name) {
                guard let source = producer[name] else { throw failure("input '\(name)' is not produced by any node, initializer or graph input", node) }
                waiting[index] += 1
                readers[source].append(index)
            }
        }
        var ready = nodes.indices.filter { waiting[$0] == 0 }, order: [ONNX.Node] = []
        while let index = ready.first {
            ready.removeFirst()
            order.append(nodes[index])
            for reader in readers[index] {
                waiting[reader] -= 1
                if waiting[reader] == 0 { ready.append(reader) }
            }
        }
        if let stuck = nodes.indices.first(where: { waiting[$0] > 0 }) {
            throw failure("the graph has a cycle through this node", nodes[stuck])
        }
        guard available.contains(output) || producer[output] != nil else { throw failure("the graph output '\(output)' is never produced", nil) }
        return order
    }

    private static func lastReads(of nodes: [ONNX.Node], keeping output: String) -> [[String]] {
        var last: [String: Int] = [:]
        for (index, node) in nodes.enumerated() { for name in node.inputs where !name.isEmpty { last[name] = index } }
        var result = [[String]](repeating: [], count: nodes.count)
        for (name, index) in last where name != output { result[index].append(name) }
        return result
    }

    private static func declared(_ value: ONNX.ValueInfo) -> [Int?]? {
        value.shape?.map { if case .value(let size) = $0 { Int(exactly: size) } else { nil } }
    }

    private static func check(_ shape: Shape, against declared: [Int?]?, what: String, file: String) throws(ONNXImportError) {
        guard let declared else { return }
        let fits = declared.count == shape.rank && zip(declared, shape.dimensions).allSatisfy { $0 == nil || $0 == $1 }
        guard fits else {
            let expected = declared.map { $0.map(String.init) ?? "?" }.joined(separator: ", ")
            throw ONNXImportError(file: file, reason: "\(what) is \(shape) where the graph declares [\(expected)]")
        }
    }
}
