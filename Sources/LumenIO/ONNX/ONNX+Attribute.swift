extension ONNX {
    /// `AttributeProto`: a node's named parameter.
    public struct Attribute: Equatable, Sendable {
        /// The value, by the attribute's `type`.
        public enum Value: Equatable, Sendable {
            case float(Float)
            case int(Int64)
            case string([UInt8])
            case tensor(Tensor)
            case floats([Float])
            case ints([Int64])
            case strings([[UInt8]])
            /// A graph, sparse tensor or type value, which no operator Lumen runs takes;
            /// the `AttributeType` number is kept for the error that refuses it.
            case unsupported(type: Int64)
        }

        public var name: String
        public var value: Value

        public init(_ name: String, _ value: Value) { (self.name, self.value) = (name, value) }

        init(from message: ProtobufReader, at path: String) throws(ONNXDecodingError) {
            var reader = message
            var name = "", type: Int64?
            var float: Float?, int: Int64?, string: [UInt8]?, tensor: Tensor?
            var floats: [Float] = [], ints: [Int64] = [], strings: [[UInt8]] = []
            try reader.fields(at: path) { number, field, reader in
                switch number {
                case 1: name = try field.string()
                case 20: type = try field.integer()
                case 2: float = try field.float()
                case 3: int = try field.integer()
                case 4: string = Array(try field.bytes())
                case 5: tensor = try Tensor(from: reader.message(field), at: "\(path).t")
                case 7: floats += try field.floats()
                case 8: ints += try field.integers()
                case 9: strings.append(Array(try field.bytes()))
                default: break
                }
            }
            let at = name.isEmpty ? path : "\(path) '\(name)'"
            switch type {
            case 1: value = .float(try Self.present(float, at, "f"))
            case 2: value = .int(try Self.present(int, at, "i"))
            case 3: value = .string(try Self.present(string, at, "s"))
            case 4: value = .tensor(try Self.present(tensor, at, "t"))
            case 6: value = .floats(floats)
            case 7: value = .ints(ints)
            case 8: value = .strings(strings)
            case let other?: value = .unsupported(type: other)
            case nil: throw ONNXDecodingError(at, "the attribute has no type (IR version 1 files are not read)")
            }
            self.name = name
        }

        private static func present<T>(_ value: T?, _ path: String, _ field: String) throws(ONNXDecodingError) -> T {
            guard let value else { throw ONNXDecodingError(path, "the attribute's type calls for field \(field), which is missing") }
            return value
        }

        /// Repeated values are written unpacked, as proto2 declares them.
        func encode(to writer: inout ProtobufWriter) {
            writer.field(1, string: name)
            switch value {
            case .float(let value): writer.field(2, float: value); writer.field(20, int64: 1)
            case .int(let value): writer.field(3, int64: value); writer.field(20, int64: 2)
            case .string(let value): writer.field(4, bytes: value); writer.field(20, int64: 3)
            case .tensor(let value): writer.field(5) { value.encode(to: &$0) }; writer.field(20, int64: 4)
            case .floats(let values): for value in values { writer.field(7, float: value) }; writer.field(20, int64: 6)
            case .ints(let values): for value in values { writer.field(8, int64: value) }; writer.field(20, int64: 7)
            case .strings(let values): for value in values { writer.field(9, bytes: value) }; writer.field(20, int64: 8)
            case .unsupported(let type): writer.field(20, int64: type)
            }
        }
    }
}
