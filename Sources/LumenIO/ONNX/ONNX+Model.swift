import Foundation

extension ONNX {
    /// `ModelProto`: a graph with the operator sets it binds to and metadata.
    public struct Model: Equatable, Sendable {
        /// The IR version (8 for opset 17).
        public var irVersion: Int64
        /// The operator sets the graph's nodes bind to.
        public var operatorSets: [OperatorSet]
        public var producerName: String
        public var producerVersion: String
        public var domain: String
        public var modelVersion: Int64
        public var docString: String
        public var graph: Graph
        /// `metadata_props`, in file order.
        public var metadata: [MetadataEntry]

        public init(irVersion: Int64, operatorSets: [OperatorSet], producerName: String = "", producerVersion: String = "",
                    domain: String = "", modelVersion: Int64 = 0, docString: String = "", graph: Graph,
                    metadata: [MetadataEntry] = []) {
            (self.irVersion, self.operatorSets, self.producerName, self.producerVersion) = (irVersion, operatorSets, producerName, producerVersion)
            (self.domain, self.modelVersion, self.docString, self.graph, self.metadata) = (domain, modelVersion, docString, graph, metadata)
        }

        /// Reads the model in the file at `url`.
        /// - Throws: ``ONNXFileError`` naming the file.
        public static func load(contentsOf url: URL) throws(ONNXFileError) -> Model {
            let (data, name) = try readFileContents(url) { ONNXFileError(file: $0, reason: "cannot read file (\($1))") }
            return try decode(data, name: name)
        }

        /// Decodes an ONNX file's bytes; `name` is what errors call them.
        /// - Throws: ``ONNXFileError`` naming the file and the part of the model that is
        ///   malformed or holds external data, or saying that there is no graph.
        public static func decode(_ data: Data, name: String) throws(ONNXFileError) -> Model {
            guard !data.isEmpty else { throw ONNXFileError(file: name, reason: "the file is empty") }
            do throws(ONNXDecodingError) {
                var reader: ProtobufReader
                do { reader = try ProtobufReader(data) } catch { throw ONNXDecodingError("model", error.reason) }
                var model = Model(irVersion: 0, operatorSets: [], graph: Graph())
                var sawGraph = false
                try reader.fields(at: "model") { number, field, reader in
                    switch number {
                    case 1: model.irVersion = try field.integer()
                    case 2: model.producerName = try field.string()
                    case 3: model.producerVersion = try field.string()
                    case 4: model.domain = try field.string()
                    case 5: model.modelVersion = try field.integer()
                    case 6: model.docString = try field.string()
                    case 7:
                        model.graph = try Graph(from: reader.message(field), at: "graph")
                        sawGraph = true
                    case 8: model.operatorSets.append(try OperatorSet(from: reader.message(field), at: "opset_import[\(model.operatorSets.count)]"))
                    case 14: model.metadata.append(try MetadataEntry(from: reader.message(field), at: "metadata_props[\(model.metadata.count)]"))
                    default: break
                    }
                }
                guard sawGraph else { throw ONNXDecodingError("model", "it has no graph") }
                return model
            } catch {
                throw ONNXFileError(file: name, reason: "\(error.path): \(error.reason)")
            }
        }

        /// The model as an ONNX file's bytes.
        public func serialized() -> Data {
            var writer = ProtobufWriter()
            writer.field(1, int64: irVersion)
            if !producerName.isEmpty { writer.field(2, string: producerName) }
            if !producerVersion.isEmpty { writer.field(3, string: producerVersion) }
            if !domain.isEmpty { writer.field(4, string: domain) }
            if modelVersion != 0 { writer.field(5, int64: modelVersion) }
            if !docString.isEmpty { writer.field(6, string: docString) }
            writer.field(7) { graph.encode(to: &$0) }
            for set in operatorSets { writer.field(8) { set.encode(to: &$0) } }
            for entry in metadata { writer.field(14) { entry.encode(to: &$0) } }
            return Data(writer.bytes)
        }
    }

    /// `OperatorSetIdProto`: a domain (`""` is the standard `ai.onnx`) and its version.
    public struct OperatorSet: Equatable, Sendable {
        public var domain: String
        public var version: Int64

        public init(domain: String = "", version: Int64) { (self.domain, self.version) = (domain, version) }

        init(from message: ProtobufReader, at path: String) throws(ONNXDecodingError) {
            self.init(version: 0)
            var reader = message
            try reader.fields(at: path) { number, field, reader in
                switch number {
                case 1: domain = try field.string()
                case 2: version = try field.integer()
                default: break
                }
            }
        }

        func encode(to writer: inout ProtobufWriter) {
            if !domain.isEmpty { writer.field(1, string: domain) }
            writer.field(2, int64: version)
        }
    }

    /// `StringStringEntryProto`: one key and value of `metadata_props`.
    public struct MetadataEntry: Equatable, Sendable {
        public var key: String
        public var value: String

        public init(key: String, value: String) { (self.key, self.value) = (key, value) }

        init(from message: ProtobufReader, at path: String) throws(ONNXDecodingError) {
            self.init(key: "", value: "")
            var reader = message
            try reader.fields(at: path) { number, field, reader in
                switch number {
                case 1: key = try field.string()
                case 2: value = try field.string()
                default: break
                }
            }
        }

        func encode(to writer: inout ProtobufWriter) {
            writer.field(1, string: key)
            writer.field(2, string: value)
        }
    }
}
