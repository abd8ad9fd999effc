extension ONNX {
    /// `GraphProto`: nodes in topological order, the constant tensors they read, and
    /// the graph's inputs and outputs.
    public struct Graph: Equatable, Sendable {
        public var name: String
        public var nodes: [Node]
        /// Named constants (weights); `sparse_initializer` is not read.
        public var initializers: [Tensor]
        public var inputs: [ValueInfo]
        public var outputs: [ValueInfo]
        /// Types of intermediate values, where the producer recorded them.
        public var valueInfo: [ValueInfo]
        public var docString: String

        public init(name: String = "", nodes: [Node] = [], initializers: [Tensor] = [], inputs: [ValueInfo] = [],
                    outputs: [ValueInfo] = [], valueInfo: [ValueInfo] = [], docString: String = "") {
            (self.name, self.nodes, self.initializers, self.inputs) = (name, nodes, initializers, inputs)
            (self.outputs, self.valueInfo, self.docString) = (outputs, valueInfo, docString)
        }

        init(from message: ProtobufReader, at path: String) throws(ONNXDecodingError) {
            var reader = message
            self.init()
            try reader.fields(at: path) { number, field, reader in
                switch number {
                case 1:
                    let at = "\(path).node[\(nodes.count)]"
                    nodes.append(try Node(from: reader.message(field), at: at))
                case 2: name = try field.string()
                case 5:
                    let at = "\(path).initializer[\(initializers.count)]"
                    initializers.append(try Tensor(from: reader.message(field), at: at))
                case 10: docString = try field.string()
                case 11, 12, 13:
                    let list = number == 11 ? "input" : number == 12 ? "output" : "value_info"
                    let count = number == 11 ? inputs.count : number == 12 ? outputs.count : valueInfo.count
                    let value = try ValueInfo(from: reader.message(field), at: "\(path).\(list)[\(count)]")
                    switch number {
                    case 11: inputs.append(value)
                    case 12: outputs.append(value)
                    default: valueInfo.append(value)
                    }
                default: break
                }
            }
        }

        func encode(to writer: inout ProtobufWriter) {
            for node in nodes { writer.field(1) { node.encode(to: &$0) } }
            if !name.isEmpty { writer.field(2, string: name) }
            for tensor in initializers { writer.field(5) { tensor.encode(to: &$0) } }
            if !docString.isEmpty { writer.field(10, string: docString) }
            for value in inputs { writer.field(11) { value.encode(to: &$0) } }
            for value in outputs { writer.field(12) { value.encode(to: &$0) } }
            for value in valueInfo { writer.field(13) { value.encode(to: &$0) } }
        }
    }

    /// `NodeProto`: one operator applied to named values.
    public struct Node: Equatable, Sendable {
        /// Input value names; `""` is an omitted optional input.
        public var inputs: [String]
        public var outputs: [String]
        public var name: String
        public var opType: String
        /// `""` (or `ai.onnx`) for the standard operators.
        public var domain: String
        public var attributes: [Attribute]

        public init(opType: String, inputs: [String], outputs: [String], name: String = "", domain: String = "",
                    attributes: [Attribute] = []) {
            (self.opType, self.inputs, self.outputs, self.name, self.domain, self.attributes) = (opType, inputs, outputs, name, domain, attributes)
        }

        init(from message: ProtobufReader, at path: String) throws(ONNXDecodingError) {
            var reader = message
            self.init(opType: "", inputs: [], outputs: [])
            try reader.fields(at: path) { number, field, reader in
                switch number {
                case 1: inputs.append(try field.string())
                case 2: outputs.append(try field.string())
                case 3: name = try field.string()
                case 4: opType = try field.string()
                case 5:
                    let at = "\(path).attribute[\(attributes.count)]"
                    attributes.append(try Attribute(from: reader.message(field), at: at))
                case 7: domain = try field.string()
                default: break
                }
            }
        }

        func encode(to writer: inout ProtobufWriter) {
            for input in inputs { writer.field(1, string: input) }
            for output in outputs { writer.field(2, string: output) }
            if !name.isEmpty { writer.field(3, string: name) }
            writer.field(4, string: opType)
            for attribute in attributes { writer.field(5) { attribute.encode(to: &$0) } }
            if !domain.isEmpty { writer.field(7, string: domain) }
        }

        /// The attribute called `name`, if the node has it.
        public func attribute(_ name: String) -> Attribute.Value? {
            attributes.first { $0.name == name }?.value
        }
    }

    /// `ValueInfoProto` with a tensor type: a value's name, element type and shape,
    /// whose dimensions may be symbolic (`"height"`) for dynamic sizes.
    public struct ValueInfo: Equatable, Sendable {
        /// One dimension of a shape.
        public enum Dimension: Equatable, Sendable {
            case value(Int64)
            case parameter(String)
            case unknown
        }

        public var name: String
        /// A ``Tensor/DataType`` raw value; `nil` when the type is not a tensor or not given.
        public var elementType: Int32?
        /// `nil` when the shape is not given (any rank).
        public var shape: [Dimension]?

        public init(name: String, elementType: Int32? = nil, shape: [Dimension]? = nil) {
            (self.name, self.elementType, self.shape) = (name, elementType, shape)
        }

        init(from message: ProtobufReader, at path: String) throws(ONNXDecodingError) {
            var reader = message
            self.init(name: "")
            try reader.fields(at: path) { number, field, reader in
                switch number {
                case 1: name = try field.string()
                case 2: // TypeProto; only tensor_type (1) is read.
                    var type = try reader.message(field)
                    try type.fields(at: "\(path).type") { number, field, reader in
                        guard number == 1 else { return }
                        var tensor = try reader.message(field)
                        try tensor.fields(at: "\(path).type.tensor_type") { number, field, reader in
                            switch number {
                            case 1: elementType = Int32(truncatingIfNeeded: try field.integer())
                            case 2: shape = try Self.shape(reader.message(field), at: "\(path).type.tensor_type.shape")
                            default: break
                            }
                        }
                    }
                default: break
                }
            }
        }

        private static func shape(_ message: ProtobufReader, at path: String) throws(ONNXDecodingError) -> [Dimension] {
            var reader = message
            var dimensions: [Dimension] = []
            try reader.fields(at: path) { number, field, reader in
                guard number == 1 else { return }
                var dimension = try reader.message(field)
                var parsed = Dimension.unknown
                try dimension.fields(at: "\(path).dim[\(dimensions.count)]") { number, field, _ in
                    switch number {
                    case 1: parsed = .value(try field.integer())
                    case 2: parsed = .parameter(try field.string())
                    default: break
                    }
                }
                dimensions.append(parsed)
            }
            return dimensions
        }

        func encode(to writer: inout ProtobufWriter) {
            writer.field(1, string: name)
            guard let elementType else { return }
            writer.field(2) { type in
                type.field(1) { tensor in
                    tensor.field(1, int64: Int64(elementType))
                    guard let shape else { return }
                    tensor.field(2) { shapeWriter in
                        for dimension in shape {
                            shapeWriter.field(1) { dim in
                                switch dimension {
                                case .value(let value): dim.field(1, int64: value)
                                case .parameter(let name): dim.field(2, string: name)
                                case .unknown: break
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
