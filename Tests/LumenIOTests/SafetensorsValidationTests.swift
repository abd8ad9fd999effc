import Foundation
import LumenIO
import Testing

/// A malformed safetensors file and the error decoding it must throw.
struct MalformedSafetensors: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let data: Data
    /// Compared case by case; `reason` strings of malformed headers and entries are not compared.
    let expected: SafetensorsError

    static let name = "bad.safetensors"

    init(_ description: String, _ data: Data, _ expected: SafetensorsError) {
        (testDescription, self.data, self.expected) = (description, data, expected)
    }

    init(_ description: String, header: String, buffer: [UInt8] = [], _ expected: SafetensorsError) {
        self.init(description, safetensorsBytes(header: header, buffer: buffer), expected)
    }

    /// Whether `error` is the expected one, ignoring free-text reasons.
    func isExpected(_ error: SafetensorsError) -> Bool {
        switch (error, expected) {
        case (.malformedHeader, .malformedHeader): true
        case (.malformedEntry(_, let key, _), .malformedEntry(_, let expectedKey, _)): key == expectedKey
        default: error == expected
        }
    }
}

/// A header entry `"name": {...}` with the given fields.
private func entry(_ name: String = "a", dtype: String = "F32", shape: String = "[1]", offsets: String = "[0, 4]") -> String {
    #""\#(name)": {"dtype": "\#(dtype)", "shape": \#(shape), "data_offsets": \#(offsets)}"#
}

private let file = MalformedSafetensors.name
private let malformedFiles: [MalformedSafetensors] = [
    .init("file shorter than 8 bytes", Data([1, 2, 3, 4, 5]), .truncated(file: file, byteCount: 5)),
    .init("header length past the end", Data(littleEndianBytes([UInt64(100)]) + Array("{}".utf8)),
          .headerLengthExceedsFile(file: file, headerLength: 100, fileSize: 10)),
    .init("header length of 2^64 - 1", Data(littleEndianBytes([UInt64.max])),
          .headerLengthExceedsFile(file: file, headerLength: .max, fileSize: 8)),
    .init("header not JSON", header: #"{"a": {"#, .malformedHeader(file: file, reason: "")),
    .init("header not UTF-8", Data(littleEndianBytes([UInt64(6)]) + [0x7B, 0x22, 0xFF, 0x22, 0x7D, 0x20]),
          .malformedHeader(file: file, reason: "")),
    .init("header an array", header: "[1, 2]", .malformedHeader(file: file, reason: "")),
    .init("text after the header", header: "{} x", .malformedHeader(file: file, reason: "")),
    .init("header nested 100,000 deep", header: #"{"a": "# + String(repeating: "[", count: 100_000),
          .malformedHeader(file: file, reason: "")),
    .init("metadata not strings", header: #"{"__metadata__": {"epoch": 3}}"#, .malformedHeader(file: file, reason: "")),
    .init("entry not an object", header: #"{"a": 3}"#, .malformedEntry(file: file, key: "a", reason: "")),
    .init("entry without dtype", header: #"{"a": {"shape": [1], "data_offsets": [0, 4]}}"#, buffer: [0, 0, 0, 0],
          .malformedEntry(file: file, key: "a", reason: "")),
    .init("entry without shape", header: #"{"a": {"dtype": "F32", "data_offsets": [0, 4]}}"#, buffer: [0, 0, 0, 0],
          .malformedEntry(file: file, key: "a", reason: "")),
    .init("entry without data_offsets", header: #"{"a": {"dtype": "F32", "shape": [1]}}"#,
          .malformedEntry(file: file, key: "a", reason: "")),
    .init("one data offset", header: "{\(entry(offsets: "[0]"))}", .malformedEntry(file: file, key: "a", reason: "")),
    .init("fractional dimension", header: "{\(entry(shape: "[1.5]"))}", buffer: [0, 0, 0, 0],
          .malformedEntry(file: file, key: "a", reason: "")),
    .init("dimension beyond 64 bits", header: "{\(entry(shape: "[99999999999999999999]"))}", buffer: [0, 0, 0, 0],
          .malformedEntry(file: file, key: "a", reason: "")),
    .init("dimensions whose product overflows", header: "{\(entry(shape: "[4294967296, 4294967296, 0]"))}",
          buffer: [0, 0, 0, 0], .malformedEntry(file: file, key: "a", reason: "")),
    .init("zero, then dimensions whose product overflows", header: "{\(entry(shape: "[0, 4294967296, 4294967296]", offsets: "[0, 0]"))}",
          .malformedEntry(file: file, key: "a", reason: "")),
    .init("unknown dtype", header: "{\(entry(dtype: "F8_E4M3"))}", buffer: [0, 0, 0, 0],
          .unsupportedDType(file: file, key: "a", dtype: "F8_E4M3")),
    .init("negative dimension", header: "{\(entry(shape: "[-1, 2]"))}", buffer: [0, 0, 0, 0],
          .negativeDimension(file: file, key: "a", shape: [-1, 2])),
    .init("F32 shape larger than its span", header: "{\(entry(shape: "[2]"))}", buffer: [0, 0, 0, 0],
          .sizeMismatch(file: file, key: "a", shape: [2], dtype: "F32", expectedByteCount: 8, actualByteCount: 4)),
    .init("F16 span of F32 size", header: "{\(entry(dtype: "F16", shape: "[3]", offsets: "[0, 12]"))}",
          buffer: Array(repeating: 0, count: 12),
          .sizeMismatch(file: file, key: "a", shape: [3], dtype: "F16", expectedByteCount: 6, actualByteCount: 12)),
    .init("end past the buffer", header: "{\(entry(offsets: "[4, 8]"))}", buffer: [0, 0, 0, 0],
          .offsetsOutOfBounds(file: file, key: "a", begin: 4, end: 8, bufferSize: 4)),
    .init("end before begin", header: "{\(entry(offsets: "[4, 0]"))}", buffer: [0, 0, 0, 0],
          .offsetsOutOfBounds(file: file, key: "a", begin: 4, end: 0, bufferSize: 4)),
    .init("negative begin", header: "{\(entry(offsets: "[-4, 0]"))}",
          .offsetsOutOfBounds(file: file, key: "a", begin: -4, end: 0, bufferSize: 0)),
    .init("offsets near Int.max", header: "{\(entry(offsets: "[9223372036854775803, 9223372036854775807]"))}",
          .offsetsOutOfBounds(file: file, key: "a", begin: 9_223_372_036_854_775_803, end: .max, bufferSize: 0)),
    .init("overlapping tensors", header: "{\(entry("a", shape: "[2]", offsets: "[0, 8]")), \(entry("b", shape: "[2]", offsets: "[4, 12]"))}",
          buffer: Array(repeating: 0, count: 12), .overlappingTensors(file: file, first: "a", second: "b")),
    .init("hole between tensors", header: "{\(entry("a")), \(entry("b", offsets: "[8, 12]"))}",
          buffer: Array(repeating: 0, count: 12), .uncoveredBytes(file: file, begin: 4, end: 8)),
    .init("unused bytes after the last tensor", header: "{\(entry())}", buffer: Array(repeating: 0, count: 8),
          .uncoveredBytes(file: file, begin: 4, end: 8)),
    .init("tensor key repeated", header: "{\(entry()), \(entry())}", buffer: [0, 0, 0, 0],
          .duplicateKey(file: file, key: "a")),
    .init("field repeated in an entry", header: #"{"a": {"dtype": "F32", "dtype": "F16", "shape": [1], "data_offsets": [0, 4]}}"#,
          buffer: [0, 0, 0, 0], .duplicateKey(file: file, key: "dtype")),
]

@Suite struct SafetensorsValidationTests {
    @Test(arguments: malformedFiles)
    func rejectsMalformedFileWithAMessageNamingIt(_ malformed: MalformedSafetensors) {
        let error = #expect(throws: SafetensorsError.self) {
            try Safetensors.decode(malformed.data, name: MalformedSafetensors.name)
        }
        guard let error else { return }
        #expect(malformed.isExpected(error), "got \(error)")
        #expect(error.localizedDescription.hasPrefix("\(MalformedSafetensors.name): "))
    }

    @Test func readingNamesTheFileOnDisk() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("truncated-\(UUID().uuidString).safetensors")
        try Data([1, 2, 3]).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: SafetensorsError.truncated(file: url.lastPathComponent, byteCount: 3)) {
            try Safetensors.read(contentsOf: url)
        }
    }

    @Test func missingFileIsUnreadable() {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/model.safetensors")
        let error = #expect(throws: SafetensorsError.self) { try Safetensors.read(contentsOf: url) }
        guard case .unreadable(file: "model.safetensors", _) = error else {
            Issue.record("expected unreadable, got \(String(describing: error))")
            return
        }
    }
}
