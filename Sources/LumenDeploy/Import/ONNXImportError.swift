import Foundation

/// Why an ONNX graph cannot be loaded or run in Lumen: the file, the node (when one
/// is to blame) and the reason in words.
public struct ONNXImportError: Error, LocalizedError, Equatable, Sendable {
    /// The file the graph came from.
    public let file: String
    /// The node at fault, as `'name' (OpType)`, or `nil` for the graph as a whole.
    public let node: String?
    /// The problem in words.
    public let reason: String

    public init(file: String, node: String? = nil, reason: String) {
        (self.file, self.node, self.reason) = (file, node, reason)
    }

    public var errorDescription: String? {
        node.map { "\(file): node \($0): \(reason)" } ?? "\(file): \(reason)"
    }
}

/// A node's failure before the file is known; ``ONNXModel`` adds the file and node.
struct ONNXOperatorError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
