import Foundation

/// A read-only view of a zip archive whose entries are stored uncompressed, such
/// as PyTorch checkpoints (`torch.save`) and NumPy `.npz` files (`np.savez`).
///
/// Only the central directory is parsed up front; entry bytes are sliced out of
/// the archive on request. Zip64 sizes and offsets are understood. Compressed or
/// encrypted entries are listed but refused when read: both writers above store
/// every entry, so a compressed one means the file was repacked by another tool.
///
/// ```swift
/// let archive = try ZipArchive(contentsOf: url)
/// let pickle = try archive.contents(of: "archive/data.pkl")
/// ```
public struct ZipArchive: Sendable {
    /// One file in the archive, as described by the central directory.
    public struct Entry: Sendable {
        /// The path inside the archive, such as `archive/data.pkl`.
        public let name: String
        /// The size of the entry's bytes in the archive.
        public let compressedSize: Int
        /// The zip compression method: 0 is stored, 8 is deflate.
        let method: UInt16
        /// General-purpose flags; bit 0 marks encryption.
        let flags: UInt16
        let localHeaderOffset: Int
        /// The CRC-32 of the uncompressed bytes, checked when they are read.
        let checksum: UInt32
    }

    /// The name used in error messages, typically the file name.
    public let name: String
    /// The entries in central-directory order.
    public let entries: [Entry]
    private let data: Data
    private let entryIndex: [String: Int]

    /// Opens the zip archive at `url`.
    ///
    /// - Throws: ``ZipArchiveError`` naming the file's last path component.
    public init(contentsOf url: URL) throws(ZipArchiveError) {
        let (data, name) = try readFileContents(url) { ZipArchiveError.unreadable(file: $0, reason: $1) }
        try self.init(data: data, name: name)
    }

    /// Parses the central directory of an archive held in memory.
    ///
    /// - Parameters:
    ///   - data: the complete archive.
    ///   - name: the name used in error messages.
    /// - Throws: ``ZipArchiveError`` if `data` is not a complete zip archive.
    public init(data: Data, name: String) throws(ZipArchiveError) {
        // Integer reads below index from 0; a slice of a larger Data does not.
        let data = data.startIndex == 0 ? data : Data(data)
        let reader = LittleEndianReader(data: data, file: name)
        let directory = try reader.centralDirectory()
        var entries: [Entry] = []
        var offset = directory.offset
        for _ in 0 ..< directory.count {
            let (entry, next) = try reader.centralDirectoryEntry(at: offset)
            entries.append(entry)
            offset = next
        }
        self.name = name
        self.data = data
        self.entries = entries
        self.entryIndex = Dictionary(entries.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The bytes of the entry called `entryName`.
    ///
    /// - Throws: ``ZipArchiveError/missingEntry(file:entry:)`` if there is no such
    ///   entry, ``ZipArchiveError/compressedEntry(file:entry:method:)`` or
    ///   ``ZipArchiveError/encryptedEntry(file:entry:)`` if it is not stored plainly,
    ///   ``ZipArchiveError/malformed(file:reason:)`` if its bytes lie outside the archive,
    ///   ``ZipArchiveError/checksumMismatch(file:entry:expected:actual:)`` if they are corrupted.
    public func contents(of entryName: String) throws(ZipArchiveError) -> Data {
        guard let index = entryIndex[entryName] else { throw .missingEntry(file: name, entry: entryName) }
        let entry = entries[index]
        guard entry.flags & 1 == 0 else { throw .encryptedEntry(file: name, entry: entryName) }
        guard entry.method == 0 else { throw .compressedEntry(file: name, entry: entryName, method: entry.method) }
        // The local header repeats the name but may carry a different extra field
        // (PyTorch pads it so that tensor data is 64-byte aligned), so its own
        // lengths locate the data.
        let reader = LittleEndianReader(data: data, file: name)
        let header = entry.localHeaderOffset
        guard try reader.uint32(at: header) == 0x0403_4B50 else {
            throw .malformed(file: name, reason: "entry \(entryName) has no local header at offset \(header)")
        }
        let start = header + 30 + Int(try reader.uint16(at: header + 26)) + Int(try reader.uint16(at: header + 28))
        guard start <= data.count, entry.compressedSize <= data.count - start else {
            throw .malformed(file: name, reason: "entry \(entryName) extends past the end of the archive")
        }
        let contents = data[start ..< start + entry.compressedSize]
        let actual = CRC32.checksum(contents)
        guard actual == entry.checksum else {
            throw .checksumMismatch(file: name, entry: entryName, expected: entry.checksum, actual: actual)
        }
        return contents
    }
}

/// Bounds-checked little-endian reads from an archive, and the two directory records.
private struct LittleEndianReader {
    let data: Data
    let file: String

    func requireBytes(at offset: Int, count: Int) throws(ZipArchiveError) {
        guard offset >= 0, count <= data.count, offset <= data.count - count else {
            throw .malformed(file: file, reason: "record at offset \(offset) extends past the end of the archive")
        }
    }

    func uint(at offset: Int, byteCount: Int) throws(ZipArchiveError) -> UInt64 {
        try requireBytes(at: offset, count: byteCount)
        return data[offset ..< offset + byteCount].reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    func uint16(at offset: Int) throws(ZipArchiveError) -> UInt16 { UInt16(try uint(at: offset, byteCount: 2)) }
    func uint32(at offset: Int) throws(ZipArchiveError) -> UInt32 { UInt32(try uint(at: offset, byteCount: 4)) }

    /// A 64-bit size or offset as an `Int`, refusing values no file can reach.
    func int(at offset: Int, byteCount: Int) throws(ZipArchiveError) -> Int {
        let value = try uint(at: offset, byteCount: byteCount)
        guard value <= UInt64(data.count) else {
            throw .malformed(file: file, reason: "size or offset \(value) at offset \(offset) exceeds the archive size")
        }
        return Int(value)
    }

    /// The number of entries and the offset of the central directory, from the
    /// end-of-central-directory record (and its zip64 extension when a field is saturated).
    func centralDirectory() throws(ZipArchiveError) -> (count: Int, offset: Int) {
        // The record is 22 bytes plus a comment of up to 65,535 bytes, so it is
        // searched for backwards from the end.
        var end = data.count - 22
        let lowest = max(0, data.count - 22 - 0xFFFF)
        while end >= lowest, try uint32(at: end) != 0x0605_4B50 { end -= 1 }
        guard end >= lowest else {
            // A file that starts like a zip but lacks the trailing record was cut short.
            if data.count >= 4, try uint32(at: 0) == 0x0403_4B50 { throw .truncated(file: file) }
            throw .notAZipArchive(file: file)
        }
        let count = try uint16(at: end + 10), offset = try uint32(at: end + 16)
        guard count == 0xFFFF || offset == 0xFFFF_FFFF else {
            return (Int(count), try int(at: end + 16, byteCount: 4))
        }
        // Zip64: a 20-byte locator just before the record points to the zip64 record.
        guard end >= 20, try uint32(at: end - 20) == 0x0706_4B50 else {
            throw .malformed(file: file, reason: "saturated end-of-central-directory record without a zip64 locator")
        }
        let record = try int(at: end - 12, byteCount: 8)
        guard try uint32(at: record) == 0x0606_4B50 else {
            throw .malformed(file: file, reason: "no zip64 end-of-central-directory record at offset \(record)")
        }
        return (try int(at: record + 32, byteCount: 8), try int(at: record + 48, byteCount: 8))
    }

    /// The central-directory entry at `offset`, and the offset of the next one.
    func centralDirectoryEntry(at offset: Int) throws(ZipArchiveError) -> (ZipArchive.Entry, next: Int) {
        guard try uint32(at: offset) == 0x0201_4B50 else {
            throw .malformed(file: file, reason: "no central directory entry at offset \(offset)")
        }
        let nameLength = Int(try uint16(at: offset + 28)), extraLength = Int(try uint16(at: offset + 30))
        let commentLength = Int(try uint16(at: offset + 32))
        let nameStart = offset + 46
        try requireBytes(at: nameStart, count: nameLength + extraLength)
        let name = String(decoding: data[nameStart ..< nameStart + nameLength], as: UTF8.self)
        // Sizes and offsets are checked against the archive when the entry is read.
        var compressedSize = Int(try uint32(at: offset + 20))
        var localHeaderOffset = Int(try uint32(at: offset + 42))
        // Saturated 32-bit fields move to the zip64 extra field (id 1), which holds
        // only those fields, in the order uncompressed size, compressed size, offset.
        let uncompressedSaturated = try uint32(at: offset + 24) == 0xFFFF_FFFF
        if compressedSize == 0xFFFF_FFFF || localHeaderOffset == 0xFFFF_FFFF || uncompressedSaturated {
            var field = nameStart + nameLength
            let extraEnd = field + extraLength
            while field + 4 <= extraEnd, try uint16(at: field) != 1 { field += 4 + Int(try uint16(at: field + 2)) }
            guard field + 4 <= extraEnd else {
                throw .malformed(file: file, reason: "entry \(name) has saturated sizes but no zip64 extra field")
            }
            var position = field + 4
            if uncompressedSaturated { position += 8 }
            if compressedSize == 0xFFFF_FFFF { compressedSize = try int(at: position, byteCount: 8); position += 8 }
            if localHeaderOffset == 0xFFFF_FFFF { localHeaderOffset = try int(at: position, byteCount: 8) }
        }
        let entry = ZipArchive.Entry(
            name: name, compressedSize: compressedSize, method: try uint16(at: offset + 10),
            flags: try uint16(at: offset + 8), localHeaderOffset: localHeaderOffset, checksum: try uint32(at: offset + 16))
        return (entry, nameStart + nameLength + extraLength + commentLength)
    }
}

/// A zip archive that cannot be read. Every message starts with the file name.
public enum ZipArchiveError: Error, LocalizedError, Equatable, Sendable {
    /// The file could not be read from disk.
    case unreadable(file: String, reason: String)
    /// The file has no end-of-central-directory record and does not start like a zip.
    case notAZipArchive(file: String)
    /// The file starts like a zip archive but ends before its central directory.
    case truncated(file: String)
    /// A record is missing, inconsistent or points outside the file.
    case malformed(file: String, reason: String)
    /// No entry has the requested name.
    case missingEntry(file: String, entry: String)
    /// The entry is compressed (`method` 8 is deflate); only stored entries are read.
    case compressedEntry(file: String, entry: String, method: UInt16)
    /// The entry is encrypted.
    case encryptedEntry(file: String, entry: String)
    /// The entry's bytes do not have the CRC-32 the directory records: the file is corrupted.
    case checksumMismatch(file: String, entry: String, expected: UInt32, actual: UInt32)

    /// The archive the error is about.
    public var file: String {
        switch self {
        case .unreadable(let file, _), .notAZipArchive(let file), .truncated(let file), .malformed(let file, _),
             .missingEntry(let file, _), .compressedEntry(let file, _, _), .encryptedEntry(let file, _),
             .checksumMismatch(let file, _, _, _):
            file
        }
    }

    public var errorDescription: String? {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read file (\(reason))"
        case .notAZipArchive(let file): "\(file): not a zip archive (no end-of-central-directory record)"
        case .truncated(let file): "\(file): truncated zip archive (the file ends before its central directory)"
        case .malformed(let file, let reason): "\(file): malformed zip archive: \(reason)"
        case .missingEntry(let file, let entry): "\(file): the archive has no entry \(entry)"
        case .compressedEntry(let file, let entry, let method):
            "\(file): entry \(entry) is compressed (zip method \(method)); only stored, uncompressed entries are supported"
        case .encryptedEntry(let file, let entry): "\(file): entry \(entry) is encrypted"
        case let .checksumMismatch(file, entry, expected, actual):
            "\(file): entry \(entry) is corrupted (CRC-32 \(String(format: "%08X", actual)), the archive records \(String(format: "%08X", expected)))"
        }
    }
}
