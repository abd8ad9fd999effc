import Foundation

/// The messages of an ONNX file (`onnx.proto`, proto2), as plain Swift values,
/// read and written with Lumen's own wire-format codec (``ProtobufReader``,
/// ``ProtobufWriter``).
///
/// Why not `swift-protobuf`: seven messages do not justify a dependency, its
/// build minutes and generated code, and a reader of Lumen's own can refuse what
/// Lumen never runs (external data, string tensors) while it parses, and is
/// fuzzed with the other parsers of untrusted bytes. Fields Lumen does not use
/// (training info, sparse initializers, local functions) are skipped, as protobuf
/// skips unknown fields. Field numbers are those of the `onnx.proto` that the
/// `onnx` wheel ships.
///
/// ```swift
/// let model = try ONNX.Model.load(contentsOf: URL(fileURLWithPath: "zero-dce.onnx"))
/// for node in model.graph.nodes { print(node.opType, node.inputs, node.outputs) }
/// ```
public enum ONNX {}

/// Why a file is not an ONNX model Lumen reads: the file, and the problem with
/// the part of the model it is in (`graph.node[3] 'Conv_3'.attribute[1]: ...`).
public struct ONNXFileError: Error, LocalizedError, Equatable, Sendable {
    /// The file, as given.
    public let file: String
    /// The problem in words.
    public let reason: String

    public init(file: String, reason: String) { (self.file, self.reason) = (file, reason) }

    public var errorDescription: String? { "\(file): \(reason)" }
}

/// A problem at a place in the model, before the file's name is known.
struct ONNXDecodingError: Error, Equatable {
    let path: String
    let reason: String

    init(_ path: String, _ reason: String) { (self.path, self.reason) = (path, reason) }
}

extension ProtobufReader {
    /// Reads every field of the message with `read`, turning wire-format errors
    /// into ``ONNXDecodingError`` at `path`.
    /// `read` gets a copy of the reader, for ``message(_:)``.
    mutating func fields(at path: String,
                         _ read: (_ number: Int, _ field: Field, _ reader: ProtobufReader) throws -> Void) throws(ONNXDecodingError) {
        do {
            while let (number, field) = try next() { try read(number, field, self) }
        } catch let error as ONNXDecodingError {
            throw error
        } catch let error as ProtobufError {
            throw ONNXDecodingError(path, error.reason)
        } catch {
            throw ONNXDecodingError(path, "\(error)")
        }
    }
}

extension ProtobufReader.Field {
    /// A single `float` field.
    func float() throws(ProtobufError) -> Float {
        guard case .fixed32(let bits) = self else { throw .wrongWireType("a float field") }
        return Float(bitPattern: bits)
    }

    /// A `double` field, or every double of a packed repeated one, as bit patterns.
    func doubleBitPatterns() throws(ProtobufError) -> [UInt64] {
        switch self {
        case .fixed64(let bits): return [bits]
        case .bytes(let data):
            guard data.count.isMultiple(of: 8) else { throw .malformed("packed doubles of \(data.count) bytes") }
            return stride(from: data.startIndex, to: data.endIndex, by: 8).map { start in
                data[start ..< start + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) }
            }
        default: throw .wrongWireType("a double field")
        }
    }
}
