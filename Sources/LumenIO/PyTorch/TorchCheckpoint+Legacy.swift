import Foundation

/// The legacy format of `torch.save` before PyTorch 1.6, still common for
/// published weights: five pickles in a row — the magic number
/// 0x1950a86a20f9469cfc6c, the protocol version 1001, system information, the
/// object, and the list of storage keys — then every storage, in that list's
/// order, as an 8-byte little-endian element count followed by its elements.
extension TorchCheckpoint {
    /// `PROTO n`, `LONG1` of 10 bytes holding the magic number, `STOP`: the first pickle of a legacy file.
    private static let magicPickle: [UInt8] = [0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]

    /// Whether `data` starts with the legacy magic-number pickle (in any protocol).
    static func isLegacy(_ data: Data) -> Bool {
        data.count >= 2 + magicPickle.count && data[0] == 0x80 && data[2 ..< 2 + magicPickle.count].elementsEqual(magicPickle)
    }

    /// The unpickled object and the bytes of every storage, by key.
    static func readLegacy(_ data: Data, file: String, containers: PickleContainers)
        throws(CheckpointError) -> (PickleValue, [String: Data])
    {
        // The magic number does not fit the 64-bit integers of PickleMachine, and
        // isLegacy has matched it byte for byte, so reading starts after it.
        var machine = PickleMachine(bytes: data, file: file, offset: 2 + magicPickle.count, containers: containers)
        func malformed(_ reason: String) -> CheckpointError {
            .malformedPickle(file: file, offset: machine.offset, reason: reason)
        }
        guard case .int(1001) = try machine.nextPickle() else { throw malformed("the legacy protocol version is not 1001") }
        if case .dict(let systemInfo) = try machine.nextPickle(),
           let littleEndian = systemInfo.entries.last(where: { if case .string("little_endian") = $0.key { true } else { false } }),
           case .bool(false) = littleEndian.value {
            throw .unsupportedByteOrder(file: file, order: "big")
        }
        let root = try machine.nextPickle()
        guard case .list(let keyList) = try machine.nextPickle() else { throw malformed("the storage key list is not a list") }

        var storages: [String: Data] = [:]
        var offset = machine.offset
        for keyValue in keyList.elements {
            guard case .string(let key) = keyValue else { throw malformed("a storage key is a \(keyValue.typeName)") }
            guard let type = machine.storageTypes[key] else {
                throw malformed("storage \(key) is listed but no tensor names it, so its element type is unknown")
            }
            let context = "storage \(key)"
            guard data.count - offset >= 8 else { throw .truncated(file: file, offset: data.count, context: context) }
            let count = data[offset ..< offset + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            offset += 8
            let (byteCount, overflow) = count.multipliedReportingOverflow(by: UInt64(type.elementType.byteCount))
            guard !overflow, byteCount <= UInt64(data.count - offset) else {
                throw .truncated(file: file, offset: data.count, context: "\(context) (\(count) elements of torch.\(type.rawValue))")
            }
            storages[key] = data[offset ..< offset + Int(byteCount)]
            offset += Int(byteCount)
        }
        return (root, storages)
    }
}
