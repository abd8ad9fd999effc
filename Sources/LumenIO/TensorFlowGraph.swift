import Foundation

/// A TensorFlow 1 frozen graph (`GraphDef`, a `.pb` file such as OpenCV's
/// `ESPCN_x2.pb`), read from the protobuf wire format with no TensorFlow: the
/// nodes, their inputs and attributes, and the constant tensors' values.
///
/// Only what frozen inference graphs hold is decoded: `NodeDef`s with int, float,
/// bool, string, type, list and tensor attributes; tensors of `DT_FLOAT` or
/// `DT_INT32` given as `tensor_content` or as `float_val` / `int_val`. What a model
/// does with the nodes (which ops it accepts) is the importer's business: it names
/// the node it refuses.
///
/// ```swift
/// let graph = try TensorFlowGraph.load(contentsOf: URL(fileURLWithPath: "ESPCN_x2.pb"))
/// for node in graph.nodes { print(node.name, node.op, node.inputs) }
/// ```
public struct TensorFlowGraph: Sendable {
    /// One operation of the graph.
    public struct Node: Sendable {
        public let name: String
        /// The operation type, such as `Conv2D` or `Const`.
        public let op: String
        /// The names of the nodes it reads (`name` or `name:index`; `^name` for control inputs).
        public let inputs: [String]
        public let attributes: [String: Attribute]
    }

    /// A node attribute (`AttrValue`).
    public enum Attribute: Sendable {
        case int(Int64)
        case float(Float)
        case bool(Bool)
        case string(String)
        /// A `DataType` enum value (1 is `DT_FLOAT`, 3 `DT_INT32`).
        case type(Int64)
        case ints([Int64])
        case tensor(Constant)
        /// Any other kind (shapes, functions, lists of other types), kept unread.
        case other
    }

    /// A constant tensor (`TensorProto`) as Float values, row-major.
    public struct Constant: Sendable {
        public let shape: [Int]
        public let values: [Float]
    }

    public let nodes: [Node]

    /// The node called `name`, if any.
    public func node(named name: String) -> Node? { nodes.first { $0.name == name } }

    /// Reads the graph in the file at `url`.
    /// - Throws: ``TensorFlowGraphError`` naming the file.
    public static func load(contentsOf url: URL) throws(TensorFlowGraphError) -> TensorFlowGraph {
        let (data, name) = try readFileContents(url) { TensorFlowGraphError(file: $0, reason: "cannot read file (\($1))") }
        return try decode(data, name: name)
    }

    /// Decodes `GraphDef` bytes; `name` is what errors call them.
    public static func decode(_ data: Data, name: String) throws(TensorFlowGraphError) -> TensorFlowGraph {
        guard !data.isEmpty else { throw TensorFlowGraphError(file: name, reason: "the file is empty") }
        do throws(ProtobufError) {
            var graph = try ProtobufReader(data)
            var nodes: [Node] = []
            while let (number, field) = try graph.next() {
                guard number == 1 else { continue }
                nodes.append(try node(graph.message(field)))
            }
            guard !nodes.isEmpty else { throw ProtobufError.malformed("no nodes, not a TensorFlow GraphDef") }
            return TensorFlowGraph(nodes: nodes)
        } catch {
            throw TensorFlowGraphError(file: name, reason: error.reason)
        }
    }

    private static func node(_ message: ProtobufReader) throws(ProtobufError) -> Node {
        var reader = message
        var (name, op, inputs, attributes) = ("", "", [String](), [String: Attribute]())
        while let (number, field) = try reader.next() {
            switch number {
            case 1: name = try field.string()
            case 2: op = try field.string()
            case 3: inputs.append(try field.string())
            case 5:
                var entry = try reader.message(field)
                var key = "", value = Attribute.other
                while let (number, field) = try entry.next() {
                    if number == 1 { key = try field.string() }
                    if number == 2 { value = try attribute(entry.message(field)) }
                }
                attributes[key] = value
            default: continue
            }
        }
        return Node(name: name, op: op, inputs: inputs, attributes: attributes)
    }

    private static func attribute(_ message: ProtobufReader) throws(ProtobufError) -> Attribute {
        var reader = message
        var value = Attribute.other
        while let (number, field) = try reader.next() {
            switch number {
            case 1:
                var list = try reader.message(field), integers: [Int64] = []
                while let (number, field) = try list.next() {
                    guard number == 3 else { continue }
                    integers += try field.integers()
                }
                value = .ints(integers)
            case 2: value = .string(String(decoding: try field.bytes(), as: UTF8.self))
            case 3: value = .int(try field.integer())
            case 4: value = .float(try field.floats().first ?? 0)
            case 5: value = .bool(try field.integer() != 0)
            case 6: value = .type(try field.integer())
            case 8: value = .tensor(try constant(reader.message(field)))
            default: continue
            }
        }
        return value
    }

    /// Constants broadcast from fewer values (TensorFlow repeats the last) are bounded
    /// by this many elements; values stored in full are bounded by the file's size.
    static let maximumBroadcastCount = 1 << 24

    private static func constant(_ message: ProtobufReader) throws(ProtobufError) -> Constant {
        var reader = message
        var (dataType, shape, content, values) = (Int64(0), [Int](), Data?.none, [Float]())
        while let (number, field) = try reader.next() {
            switch number {
            case 1: dataType = try field.integer()
            case 2:
                var shapeReader = try reader.message(field)
                while let (number, field) = try shapeReader.next() {
                guard number == 2 else { continue }
                    var dimension = try shapeReader.message(field), size: Int64 = 1
                    while let (number, field) = try dimension.next() {
                        if number == 1 { size = try field.integer() }
                    }
                    guard size >= 0, size <= Int64(Int32.max) else { throw .malformed("a tensor dimension of \(size)") }
                    shape.append(Int(size))
                }
            case 4: content = try field.bytes()
            case 5: values += try field.floats()
            case 7: values += try field.integers().map { Float($0) }
            default: continue
            }
        }
        guard dataType == 1 || dataType == 3 else { throw .malformed("a tensor of DataType \(dataType); only DT_FLOAT and DT_INT32 are read") }
        var count = 1
        for dimension in shape {
            let (result, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, result <= Int(Int32.max) else { throw .malformed("a tensor of shape \(shape)") }
            count = result
        }
        if let content {
            guard content.count == count * 4 else {
                throw .malformed("a tensor of shape \(shape) with \(content.count) bytes of content")
            }
            values = stride(from: content.startIndex, to: content.endIndex, by: 4).map { start in
                let bits = content[start ..< start + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                return dataType == 1 ? Float(bitPattern: bits) : Float(Int32(bitPattern: bits))
            }
        } else if values.count != count {
            guard let last = values.last, values.count < count, count <= maximumBroadcastCount else {
                throw .malformed("a tensor of shape \(shape) with \(values.count) values")
            }
            values += repeatElement(last, count: count - values.count)
        }
        return Constant(shape: shape, values: values)
    }
}

/// A `.pb` file that is not a TensorFlow graph LumenIO can read, or a graph a model refuses.
public struct TensorFlowGraphError: Error, LocalizedError, Equatable, Sendable {
    /// The file, as given.
    public let file: String
    /// The problem in words.
    public let reason: String

    public init(file: String, reason: String) { (self.file, self.reason) = (file, reason) }

    public var errorDescription: String? { "\(file): \(reason)" }
}
