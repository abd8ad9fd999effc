/// Writes the protocol-buffers wire format, the inverse of ``ProtobufReader``.
///
/// Fields are written in the order they are given; embedded messages are built
/// in a writer of their own and then written with their length.
struct ProtobufWriter {
    /// The encoded bytes so far.
    private(set) var bytes: [UInt8] = []

    /// Writes an `int64`, `int32` or enum field (negative values take 10 bytes, as in protobuf).
    mutating func field(_ number: Int, int64 value: Int64) {
        key(number, 0)
        varint(UInt64(bitPattern: value))
    }

    /// Writes a `float` field.
    mutating func field(_ number: Int, float value: Float) {
        key(number, 5)
        fixed32(value.bitPattern)
    }

    /// Writes a `bytes` field.
    mutating func field(_ number: Int, bytes value: some Collection<UInt8>) {
        key(number, 2)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Writes a `string` field as UTF-8.
    mutating func field(_ number: Int, string value: String) {
        field(number, bytes: Array(value.utf8))
    }

    /// Writes an embedded message that `build` writes.
    mutating func field(_ number: Int, message build: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        build(&inner)
        field(number, bytes: inner.bytes)
    }

    /// A field's key: its number and wire type (0 varint, 2 length-delimited, 5 fixed32).
    private mutating func key(_ number: Int, _ wireType: UInt64) {
        varint(UInt64(number) << 3 | wireType)
    }

    private mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private mutating func fixed32(_ value: UInt32) {
        for index in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }
}
