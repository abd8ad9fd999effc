import Foundation

/// A reader of the protocol-buffers wire format (https://protobuf.dev/programming-guides/encoding/):
/// the fields of one message, in order, each a number and its payload.
///
/// It knows no schema: a caller reads the fields it expects and skips the others.
/// Every read is bounds-checked and every length checked against the bytes left,
/// so hostile input throws ``ProtobufError`` and never traps; nesting is bounded:
/// a sub-message is read by ``message(_:)``, one level deeper, up to ``maximumDepth``.
/// Nothing is recursive but the caller's own walk, which the depth bounds.
struct ProtobufReader {
    /// One field's payload, by wire type (groups, types 3 and 4, are refused:
    /// nothing Lumen reads uses them).
    enum Field {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(Data)
    }

    /// Sub-messages deeper than this are refused.
    static let maximumDepth = 32

    private let bytes: Data
    private var offset: Int
    /// How many messages enclose this one.
    let depth: Int

    /// A reader of `bytes` (any indices) at nesting `depth`.
    init(_ bytes: Data, depth: Int = 0) throws(ProtobufError) {
        guard depth <= Self.maximumDepth else { throw .tooDeep(Self.maximumDepth) }
        (self.bytes, offset, self.depth) = (bytes, bytes.startIndex, depth)
    }

    /// A reader of the sub-message in `field`, one level deeper.
    func message(_ field: Field) throws(ProtobufError) -> ProtobufReader {
        try ProtobufReader(try field.bytes(), depth: depth + 1)
    }

    /// The next field, or `nil` at the end of the message.
    mutating func next() throws(ProtobufError) -> (number: Int, field: Field)? {
        guard offset < bytes.endIndex else { return nil }
        let key = try readVarint(bytes, &offset)
        let number = key >> 3
        guard number >= 1, number <= 536_870_911 else { throw .malformed("field number \(number)") }
        switch key & 7 {
        case 0: return (Int(number), .varint(try readVarint(bytes, &offset)))
        case 1: return (Int(number), .fixed64(try fixed(8)))
        case 5: return (Int(number), .fixed32(UInt32(try fixed(4))))
        case 2:
            let length = try readVarint(bytes, &offset)
            guard length <= UInt64(bytes.endIndex - offset) else { throw .truncated("a \(length)-byte field") }
            let start = offset
            offset += Int(length)
            return (Int(number), .bytes(bytes[start ..< offset]))
        case let type: throw .unsupportedWireType(Int(type))
        }
    }

    private mutating func fixed(_ count: Int) throws(ProtobufError) -> UInt64 {
        guard bytes.endIndex - offset >= count else { throw .truncated("a \(count * 8)-bit field") }
        defer { offset += count }
        return bytes[offset ..< offset + count].reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// The varint at `offset` in `data`, moving `offset` past it.
private func readVarint(_ data: Data, _ offset: inout Int) throws(ProtobufError) -> UInt64 {
    var value: UInt64 = 0
    for shift in stride(from: 0, to: 64, by: 7) {
        guard offset < data.endIndex else { throw .truncated("a varint") }
        let byte = data[offset]
        offset += 1
        value |= UInt64(byte & 0x7F) << UInt64(shift)
        if byte & 0x80 == 0 { return value }
    }
    throw .malformed("a varint longer than 10 bytes")
}

extension ProtobufReader.Field {
    /// The payload of a length-delimited field.
    func bytes() throws(ProtobufError) -> Data {
        guard case .bytes(let data) = self else { throw .wrongWireType("a length-delimited field") }
        return data
    }

    /// A varint field as a signed integer (int32 and int64 fields, enums, bools).
    func integer() throws(ProtobufError) -> Int64 {
        guard case .varint(let value) = self else { throw .wrongWireType("a varint field") }
        return Int64(bitPattern: value)
    }

    /// A UTF-8 string field.
    func string() throws(ProtobufError) -> String {
        guard let text = String(validating: try bytes(), as: UTF8.self) else { throw .malformed("a string that is not UTF-8") }
        return text
    }

    /// A float field, or every float of a packed repeated one.
    func floats() throws(ProtobufError) -> [Float] {
        switch self {
        case .fixed32(let bits): return [Float(bitPattern: bits)]
        case .bytes(let data):
            guard data.count.isMultiple(of: 4) else { throw .malformed("packed floats of \(data.count) bytes") }
            return stride(from: data.startIndex, to: data.endIndex, by: 4).map { start in
                Float(bitPattern: data[start ..< start + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) })
            }
        default: throw .wrongWireType("a float field")
        }
    }

    /// A varint field, or every varint of a packed repeated one.
    func integers() throws(ProtobufError) -> [Int64] {
        switch self {
        case .varint: return [try integer()]
        case .bytes(let data):
            var values: [Int64] = [], offset = data.startIndex
            while offset < data.endIndex { values.append(Int64(bitPattern: try readVarint(data, &offset))) }
            return values
        default: throw .wrongWireType("an integer field")
        }
    }
}

/// Why bytes are not a valid protobuf message.
enum ProtobufError: Error, Equatable {
    case truncated(String)
    case malformed(String)
    case unsupportedWireType(Int)
    case wrongWireType(String)
    case tooDeep(Int)

    /// The problem in words, for the error of the format being read.
    var reason: String {
        switch self {
        case .truncated(let what): "truncated protobuf: the data ends inside \(what)"
        case .malformed(let what): "malformed protobuf: \(what)"
        case .unsupportedWireType(let type): "unsupported protobuf wire type \(type)"
        case .wrongWireType(let expected): "malformed protobuf: expected \(expected)"
        case .tooDeep(let depth): "protobuf messages nested deeper than \(depth) levels"
        }
    }
}
