import Foundation

/// Bounds-checked reads of opcode arguments. A read past the end reports the
/// opcode it belongs to, which is where a cut-off file ends.
extension PickleMachine {
    mutating func take(_ count: Int) throws(CheckpointError) -> Data {
        guard count <= bytes.count - offset else {
            throw .truncated(file: file, offset: bytes.count, context: "pickle opcode \(opcode) at offset \(opcodeOffset)")
        }
        defer { offset += count }
        return bytes[offset ..< offset + count]
    }

    mutating func readByte() throws(CheckpointError) -> UInt8 { try take(1).first! }

    /// An unsigned little-endian integer of `byteCount` (at most 8) bytes.
    mutating func readUInt(byteCount: Int) throws(CheckpointError) -> UInt64 {
        try take(byteCount).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A length prefix, checked against the bytes left before it is used to allocate.
    mutating func readLength(byteCount: Int) throws(CheckpointError) -> Int {
        let length = try readUInt(byteCount: byteCount)
        guard length <= UInt64(bytes.count - offset) else {
            throw .truncated(file: file, offset: bytes.count, context: "pickle opcode \(opcode) at offset \(opcodeOffset) (\(length) bytes announced)")
        }
        return Int(length)
    }

    /// A UTF-8 string with a little-endian length prefix. Python 2 `str`s
    /// (`BINSTRING`) are decoded as UTF-8 too, as `torch.load` does by default.
    mutating func readString(lengthBytes: Int) throws(CheckpointError) -> String {
        let utf8 = try take(try readLength(byteCount: lengthBytes))
        guard let string = String(data: utf8, encoding: .utf8) else { throw malformed("string is not valid UTF-8") }
        return string
    }

    /// A `\n`-terminated ASCII line, the argument format of `GLOBAL`.
    mutating func readLine() throws(CheckpointError) -> String {
        guard let end = bytes[offset...].firstIndex(of: 0x0A) else {
            throw .truncated(file: file, offset: bytes.count, context: "pickle opcode \(opcode) at offset \(opcodeOffset)")
        }
        let line = try take(end - offset)
        offset += 1
        return String(decoding: line, as: UTF8.self)
    }

    /// `LONG1`: a little-endian two's-complement integer of up to 8 bytes (no
    /// tensor metadata needs more).
    mutating func readLong() throws(CheckpointError) -> Int {
        let count = Int(try readByte())
        guard count <= 8 else { throw malformed("integer of \(count) bytes does not fit in 64 bits") }
        let digits = try take(count)
        guard let last = digits.last else { return 0 }
        // Sign-extend from the most significant byte.
        let fill: UInt64 = last & 0x80 == 0 ? 0 : .max
        let value = digits.reversed().reduce(fill) { $0 << 8 | UInt64($1) }
        return Int(Int64(bitPattern: value))
    }
}
