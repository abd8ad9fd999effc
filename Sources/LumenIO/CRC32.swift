/// The CRC-32 of zip and PNG (polynomial 0xEDB88320, reflected, initial and final
/// value all ones), table-driven.
enum CRC32 {
    private static let table: [UInt32] = (0 ..< 256).map { byte in
        (0 ..< 8).reduce(UInt32(byte)) { crc, _ in crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }

    /// The checksum of `bytes`.
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        table.withUnsafeBufferPointer { table in
            ~bytes.reduce(UInt32.max) { crc, byte in table[Int(UInt8(truncatingIfNeeded: crc) ^ byte)] ^ (crc >> 8) }
        }
    }
}
