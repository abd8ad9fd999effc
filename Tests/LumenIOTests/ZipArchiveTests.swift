import Foundation
import LumenIO
import LumenTestSupport
import Testing

private func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }

/// A zip archive of the given entries, built by hand as the format describes.
///
/// Each entry carries its CRC-32 (the same as PNG's, ``RawPNG/crc32(_:)``). With `zip64`, every size and
/// offset moves to zip64 extra fields and records, as writers do past 4 GiB.
func zipArchiveBytes(_ entries: [(name: String, contents: [UInt8])], method: UInt16 = 0, zip64: Bool = false) -> Data {
    var archive: [UInt8] = [], directory: [UInt8] = []
    for (name, contents) in entries {
        let offset = archive.count, size = UInt32(contents.count), nameBytes = Array(name.utf8)
        let common = bytes(UInt16(20)) + bytes(UInt16(0)) + bytes(method) + bytes(UInt32(0)) + bytes(RawPNG.crc32(contents))
        archive += bytes(UInt32(0x0403_4B50)) + common + bytes(size) + bytes(size)
            + bytes(UInt16(nameBytes.count)) + bytes(UInt16(0)) + nameBytes + contents
        let saturated: UInt32 = 0xFFFF_FFFF
        let extra = zip64 ? bytes(UInt16(1)) + bytes(UInt16(24)) + bytes(UInt64(size)) + bytes(UInt64(size)) + bytes(UInt64(offset)) : []
        directory += bytes(UInt32(0x0201_4B50)) + bytes(UInt16(20)) + common
            + bytes(zip64 ? saturated : size) + bytes(zip64 ? saturated : size)
            + bytes(UInt16(nameBytes.count)) + bytes(UInt16(extra.count)) + bytes(UInt16(0)) + bytes(UInt16(0)) + bytes(UInt16(0))
            + bytes(UInt32(0)) + bytes(zip64 ? saturated : UInt32(offset)) + nameBytes + extra
    }
    let directoryOffset = archive.count
    archive += directory
    if zip64 {
        let record = archive.count
        archive += bytes(UInt32(0x0606_4B50)) + bytes(UInt64(44)) + bytes(UInt16(45)) + bytes(UInt16(45))
            + bytes(UInt32(0)) + bytes(UInt32(0)) + bytes(UInt64(entries.count)) + bytes(UInt64(entries.count))
            + bytes(UInt64(directory.count)) + bytes(UInt64(directoryOffset))
        archive += bytes(UInt32(0x0706_4B50)) + bytes(UInt32(0)) + bytes(UInt64(record)) + bytes(UInt32(1))
    }
    let count = zip64 ? UInt16.max : UInt16(entries.count)
    archive += bytes(UInt32(0x0605_4B50)) + bytes(UInt16(0)) + bytes(UInt16(0)) + bytes(count) + bytes(count)
        + bytes(zip64 ? UInt32.max : UInt32(directory.count)) + bytes(zip64 ? UInt32.max : UInt32(directoryOffset)) + bytes(UInt16(0))
    return Data(archive)
}

@Suite struct ZipArchiveTests {
    let entries: [(name: String, contents: [UInt8])] = [
        ("archive/data.pkl", Array("pickle".utf8)), ("archive/data/0", [1, 2, 3, 4]), ("archive/empty", []),
    ]

    @Test(arguments: [false, true])
    func readsStoredEntries(zip64: Bool) throws {
        let archive = try ZipArchive(data: zipArchiveBytes(entries, zip64: zip64), name: "a.zip")
        #expect(archive.entries.map(\.name) == entries.map(\.name))
        for (name, contents) in entries {
            #expect(Array(try archive.contents(of: name)) == contents)
        }
    }

    /// A flipped bit in a stored tensor used to load silently.
    @Test func refusesCorruptedEntries() throws {
        var data = zipArchiveBytes(entries)
        let index = try #require(data.firstRange(of: Data([1, 2, 3, 4]))?.lowerBound)
        data[index + 1] ^= 0x10
        let archive = try ZipArchive(data: data, name: "a.zip")
        #expect(throws: ZipArchiveError.checksumMismatch(file: "a.zip", entry: "archive/data/0",
                                                         expected: RawPNG.crc32([1, 2, 3, 4]), actual: RawPNG.crc32([1, 18, 3, 4]))) {
            try archive.contents(of: "archive/data/0")
        }
        #expect(Array(try archive.contents(of: "archive/data.pkl")) == Array("pickle".utf8))
    }

    @Test func readsFromASliceOfLargerData() throws {
        let data = Data([9, 9, 9]) + zipArchiveBytes(entries)
        let archive = try ZipArchive(data: data.dropFirst(3), name: "a.zip")
        #expect(Array(try archive.contents(of: "archive/data/0")) == [1, 2, 3, 4])
    }

    @Test func refusesCompressedEntriesWhenRead() throws {
        let archive = try ZipArchive(data: zipArchiveBytes(entries, method: 8), name: "a.zip")
        #expect(archive.entries.count == 3)
        #expect(throws: ZipArchiveError.compressedEntry(file: "a.zip", entry: "archive/data/0", method: 8)) {
            try archive.contents(of: "archive/data/0")
        }
        let message = ZipArchiveError.compressedEntry(file: "a.zip", entry: "archive/data/0", method: 8).localizedDescription
        #expect(message == "a.zip: entry archive/data/0 is compressed (zip method 8); only stored, uncompressed entries are supported")
    }

    @Test func reportsAMissingEntry() throws {
        let archive = try ZipArchive(data: zipArchiveBytes(entries), name: "a.zip")
        #expect(throws: ZipArchiveError.missingEntry(file: "a.zip", entry: "nope")) { try archive.contents(of: "nope") }
    }

    @Test func reportsACutArchiveAsTruncated() {
        let data = zipArchiveBytes(entries)
        for length in [4, 30, data.count / 2, data.count - 1] {
            #expect(throws: ZipArchiveError.truncated(file: "a.zip")) { try ZipArchive(data: data.prefix(length), name: "a.zip") }
        }
    }

    @Test func reportsOtherFilesAsNotZip() {
        for data in [Data(), Data("hello".utf8), Data(repeating: 0, count: 100)] {
            #expect(throws: ZipArchiveError.notAZipArchive(file: "a.zip")) { try ZipArchive(data: data, name: "a.zip") }
        }
    }

    /// Every prefix and every single-byte corruption of a small archive throws or
    /// reads; none may trap.
    @Test func survivesCorruptedBytes() {
        let data = [UInt8](zipArchiveBytes(entries, zip64: true))
        for index in data.indices {
            var corrupted = data
            corrupted[index] ^= 0xFF
            if let archive = try? ZipArchive(data: Data(corrupted), name: "a.zip") {
                for entry in archive.entries { _ = try? archive.contents(of: entry.name) }
            }
        }
    }

    @Test(.tags(.golden), .fixtures(Fixtures.officialWeights("sci-easy.pt")))
    func listsAPyTorchCheckpoint() throws {
        let archive = try ZipArchive(contentsOf: try Fixtures.require(Fixtures.officialWeights("sci-easy.pt")))
        #expect(archive.entries.count == 36)
        #expect(archive.entries.first?.name == "archive/data.pkl")
        let pickle = try archive.contents(of: "archive/data.pkl")
        #expect(pickle.count == 12962)
        #expect(pickle.first == 0x80 && pickle.last == 0x2E)
    }
}
