extension ONNX {
    /// `TensorProto`: a named constant with its shape, element type and bytes.
    ///
    /// However the file stored the elements (`raw_data` or a typed field such as
    /// `float_data`), they are kept here as little-endian bytes, checked against the
    /// shape: a tensor cannot claim more elements than the file holds. Lumen
    /// refuses tensors stored outside the file, since a path inside a model must
    /// never make it read another file, and string tensors, which no operator it
    /// runs takes.
    public struct Tensor: Equatable, Sendable {
        /// `TensorProto.DataType`, the element types Lumen reads.
        public enum DataType: Int32, Sendable {
            case float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7
            case bool = 9, float16 = 10, double = 11, uint32 = 12, uint64 = 13, bfloat16 = 16

            /// Bytes per element.
            public var size: Int {
                switch self {
                case .uint8, .int8, .bool: 1
                case .uint16, .int16, .float16, .bfloat16: 2
                case .float, .int32, .uint32: 4
                case .int64, .double, .uint64: 8
                }
            }
        }

        public var name: String
        public var dims: [Int64]
        public var dataType: DataType
        /// The elements, row-major, little-endian, `dataType.size` bytes each.
        public var data: [UInt8]

        /// A tensor; `data` must hold exactly the elements `dims` describe.
        public init(name: String, dims: [Int64], dataType: DataType, data: [UInt8]) {
            (self.name, self.dims, self.dataType, self.data) = (name, dims, dataType, data)
        }

        /// A float tensor.
        public init(name: String, dims: [Int], floats: [Float]) {
            var data: [UInt8] = []
            data.reserveCapacity(floats.count * 4)
            for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            self.init(name: name, dims: dims.map(Int64.init), dataType: .float, data: data)
        }

        /// An int64 tensor.
        public init(name: String, dims: [Int], int64s: [Int64]) {
            var data: [UInt8] = []
            data.reserveCapacity(int64s.count * 8)
            for value in int64s { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
            self.init(name: name, dims: dims.map(Int64.init), dataType: .int64, data: data)
        }

        /// The number of elements.
        public var count: Int { data.count / dataType.size }

        init(from message: ProtobufReader, at path: String) throws(ONNXDecodingError) {
            var reader = message
            var name = "", dims: [Int64] = [], type: Int64 = 0
            var raw: [UInt8]?, words: [UInt64] = [], floats: [Float] = [], typed = false
            var external = false, location = ""
            try reader.fields(at: path) { number, field, reader in
                switch number {
                case 1: dims += try field.integers()
                case 2: type = try field.integer()
                case 3: throw ONNXDecodingError(path, "it is stored in segments, which Lumen does not read")
                case 4: floats += try field.floats(); typed = true
                case 5, 7, 11: words += try field.integers().map { UInt64(bitPattern: $0) }; typed = true
                case 6: throw ONNXDecodingError(path, "it is a string tensor, which no operator Lumen runs takes")
                case 8: name = try field.string()
                case 9: raw = Array(try field.bytes())
                case 10: words += try field.doubleBitPatterns(); typed = true
                case 13:
                    external = true
                    let entry = try MetadataEntry(from: reader.message(field), at: path)
                    if entry.key == "location" { location = entry.value }
                case 14: if try field.integer() == 1 { external = true }
                default: break
                }
            }
            let at = name.isEmpty ? path : "\(path) '\(name)'"
            if external {
                throw ONNXDecodingError(at, "its data is in an external file\(location.isEmpty ? "" : " ('\(location)')"); "
                                        + "Lumen reads no file that a model names: save the model with its data inside")
            }
            guard let dataType = DataType(rawValue: Int32(truncatingIfNeeded: type)), Int64(dataType.rawValue) == type else {
                throw ONNXDecodingError(at, "its data type \(type) is not one Lumen reads")
            }
            var count: Int64 = 1
            for dim in dims {
                guard dim >= 0 else { throw ONNXDecodingError(at, "it has a negative dimension, \(dims)") }
                let (product, overflow) = count.multipliedReportingOverflow(by: dim)
                guard !overflow, product <= Int64(Int32.max) else { throw ONNXDecodingError(at, "its shape \(dims) is too large") }
                count = product
            }
            let data: [UInt8]
            if let raw {
                guard !typed else { throw ONNXDecodingError(at, "it has both raw_data and a typed data field") }
                data = raw
            } else {
                data = floats.isEmpty ? Self.bytes(words, dataType) : Self.bytes(floats, dataType)
            }
            guard data.count == Int(count) * dataType.size else {
                throw ONNXDecodingError(at, "its shape \(dims) needs \(count) elements of \(dataType.size) bytes, and it holds \(data.count) bytes")
            }
            self.init(name: name, dims: dims, dataType: dataType, data: data)
        }

        /// Typed-field integers (and doubles' bit patterns) as little-endian elements.
        private static func bytes(_ words: [UInt64], _ type: DataType) -> [UInt8] {
            var data: [UInt8] = []
            data.reserveCapacity(words.count * type.size)
            for word in words {
                for index in 0..<type.size { data.append(UInt8(truncatingIfNeeded: word >> (8 * index))) }
            }
            return data
        }

        private static func bytes(_ floats: [Float], _ type: DataType) -> [UInt8] {
            bytes(floats.map { UInt64($0.bitPattern) }, type == .float ? type : .uint32)
        }

        /// Always `raw_data`, as ONNX Runtime and PyTorch's exporter write weights.
        func encode(to writer: inout ProtobufWriter) {
            for dim in dims { writer.field(1, int64: dim) }
            writer.field(2, int64: Int64(dataType.rawValue))
            if !name.isEmpty { writer.field(8, string: name) }
            writer.field(9, bytes: data)
        }

        /// The elements as floats (float, double, float16 and bfloat16 tensors).
        public func floatValues() -> [Float]? {
            switch dataType {
            case .float: return elements(UInt32.self).map { Float(bitPattern: $0) }
            case .double: return elements(UInt64.self).map { Float(Double(bitPattern: $0)) }
            case .float16: return elements(UInt16.self).map(Self.halfToFloat)
            case .bfloat16: return elements(UInt16.self).map { Float(bitPattern: UInt32($0) << 16) }
            default: return nil
            }
        }

        /// The elements as integers (int64, int32 and the narrower integer tensors).
        public func integerValues() -> [Int64]? {
            switch dataType {
            case .int64: elements(UInt64.self).map { Int64(bitPattern: $0) }
            case .int32: elements(UInt32.self).map { Int64(Int32(bitPattern: $0)) }
            case .int16: elements(UInt16.self).map { Int64(Int16(bitPattern: $0)) }
            case .int8: elements(UInt8.self).map { Int64(Int8(bitPattern: $0)) }
            case .uint8, .bool: elements(UInt8.self).map(Int64.init)
            case .uint16: elements(UInt16.self).map(Int64.init)
            case .uint32: elements(UInt32.self).map(Int64.init)
            case .uint64: elements(UInt64.self).map { Int64(bitPattern: $0) }
            default: nil
            }
        }

        /// IEEE half precision to single, by hand: `Float16` is missing on Intel Macs.
        private static func halfToFloat(_ bits: UInt16) -> Float {
            let sign: Float = bits & 0x8000 == 0 ? 1 : -1
            let exponent = Int(bits >> 10 & 0x1f), fraction = Float(bits & 0x3ff)
            switch exponent {
            case 0: return sign * fraction * 0x1p-24
            case 31: return fraction == 0 ? sign * .infinity : .nan
            default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
            }
        }

        private func elements<Word: FixedWidthInteger & UnsignedInteger>(_: Word.Type) -> [Word] {
            let size = MemoryLayout<Word>.size
            return (0..<(data.count / size)).map { element in
                (0..<size).reduce(Word(0)) { word, byte in word | Word(data[element * size + byte]) << (8 * byte) }
            }
        }
    }
}
