import Foundation
import LumenTensor
import LumenIO
import Testing

/// A safetensors file from a header and a byte buffer, built by hand as the format describes.
func safetensorsBytes(header: String, buffer: [UInt8] = []) -> Data {
    let json = Array(header.utf8)
    return Data(withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json + buffer)
}

/// The little-endian bytes of `values`.
func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
}

private func hexBytes(_ hex: String) -> Data {
    let digits = Array(hex.utf8)
    return Data(stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0 ..< $0 + 2], as: UTF8.self), radix: 16)! })
}

/// A fresh empty directory, removed after `body`.
private func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-safetensors-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try body(directory)
}

@Suite struct SafetensorsTests {
    let tensors: [String: Tensor] = [
        "conv.weight": Tensor(shape: [2, 1, 2, 2], scalars: [1, -2, 3.5, 0, -0.25, 1e-30, 3e30, 7]),
        "conv.bias": Tensor(shape: [2], scalars: [0.5, -0.5]),
        "scale": Tensor(shape: [], scalars: [42]),
        "empty": Tensor(shape: [0, 3], scalars: []),
    ]
    let metadata = ["format": "lumen", "note": "quote \" backslash \\ newline \n tab \t é 🦀"]

    @Test func roundTripsTensorsAndMetadataThroughAFile() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("weights.safetensors")
            try Safetensors.write(tensors, metadata: metadata, to: url)
            let (read, readMetadata, _) = try Safetensors.read(contentsOf: url)
            #expect(Set(read.keys) == Set(tensors.keys))
            for (key, tensor) in tensors {
                #expect(read[key]?.shape == tensor.shape, "\(key)")
                #expect(read[key]?.scalars == tensor.scalars, "\(key)")
            }
            #expect(readMetadata == metadata)
        }
    }

    @Test func writesAtomicallyLeavingNoTemporaryFile() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("weights.safetensors")
            try Safetensors.write(tensors, to: url)
            try Safetensors.write(["other": Tensor(shape: [1], scalars: [9])], to: url)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["weights.safetensors"])
            #expect(try Safetensors.read(contentsOf: url).tensors.keys.sorted() == ["other"])
        }
    }

    @Test func failedWriteNamesThePath() {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/model.safetensors")
        let error = #expect(throws: AtomicFileError.self) { try Safetensors.write(tensors, to: url) }
        #expect(error?.localizedDescription.hasPrefix(url.path) == true)
    }

    @Test func encodesLikeTheReferenceImplementation() {
        // safetensors 0.8.0: save({"weight": [[1, -2], [0.5, 3]], "bias": 0.25, "empty": zeros((0, 3))},
        // metadata={"model": "test"}), all float32.
        let python = hexBytes("""
            d0000000000000007b225f5f6d657461646174615f5f223a7b226d6f64656c223a2274657374227d2c2262696173223a7b2264\
            74797065223a22463332222c227368617065223a5b5d2c22646174615f6f666673657473223a5b302c345d7d2c22656d707479\
            223a7b226474797065223a22463332222c227368617065223a5b302c335d2c22646174615f6f666673657473223a5b342c345d\
            7d2c22776569676874223a7b226474797065223a22463332222c227368617065223a5b322c325d2c22646174615f6f66667365\
            7473223a5b342c32305d7d7d0000803e0000803f000000c00000003f00004040
            """)
        let encoded = Safetensors.encode([
            "weight": Tensor(shape: [2, 2], scalars: [1, -2, 0.5, 3]),
            "bias": Tensor(shape: [], scalars: [0.25]),
            "empty": Tensor(shape: [0, 3], scalars: []),
        ], metadata: ["model": "test"])
        #expect(encoded == python)
    }

    @Test func padsTheHeaderToEightBytesAndOmitsEmptyMetadata() throws {
        let encoded = Safetensors.encode(["a": Tensor(shape: [1], scalars: [1])])
        let headerLength = Int(encoded.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        #expect(headerLength % 8 == 0)
        let header = String(decoding: encoded.dropFirst(8).prefix(headerLength), as: UTF8.self)
        #expect(header == #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"# + "  ")
        #expect(try Safetensors.decode(Safetensors.encode([:]), name: "empty").tensors.isEmpty)
    }

    @Test func readsAFileWrittenByPython() throws {
        // safetensors 0.8.0: save({"half": float16 [1, -2.5, 65504, 2^-24, 2^-14, -0, inf, -inf],
        // "double": float64 [[0.1, -1.5], [1e300, 3]], "count": int64 7}, metadata={"format": "np"}).
        let python = hexBytes("""
            d0000000000000007b225f5f6d657461646174615f5f223a7b22666f726d6174223a226e70227d2c22636f756e74223a7b2264\
            74797065223a22493634222c227368617065223a5b5d2c22646174615f6f666673657473223a5b302c385d7d2c22646f75626c\
            65223a7b226474797065223a22463634222c227368617065223a5b322c325d2c22646174615f6f666673657473223a5b382c34\
            305d7d2c2268616c66223a7b226474797065223a22463136222c227368617065223a5b385d2c22646174615f6f666673657473\
            223a5b34302c35365d7d7d2007000000000000009a9999999999b93f000000000000f8bf9c7500883ce4377e00000000000008\
            40003c00c1ff7b010000040080007c00fc
            """)
        let (tensors, metadata, integerKeys) = try Safetensors.decode(python, name: "python.safetensors")
        #expect(metadata == ["format": "np"])
        #expect(integerKeys == ["count"])
        #expect(tensors["count"]?.shape == [])
        #expect(tensors["count"]?.scalars == [7])
        #expect(tensors["double"]?.shape == [2, 2])
        #expect(tensors["double"]?.scalars == [Float(0.1), -1.5, .infinity, 3])
        #expect(tensors["half"]?.scalars == [1, -2.5, 65504, 0x1p-24, 0x1p-14, -0.0, .infinity, -.infinity])
        #expect(tensors["half"]?.scalars[5].sign == .minus)
        // A slice of a larger buffer (non-zero start index) decodes the same.
        let slice = (Data([0xAA]) + python).dropFirst()
        #expect(try Safetensors.decode(slice, name: "slice").tensors["double"]?.scalars == tensors["double"]?.scalars)
    }

    @Test func convertsFloat16IncludingSubnormalsInfinitiesAndNaN() throws {
        let bits: [UInt16] = [0x0000, 0x8000, 0x0001, 0x03FF, 0x8200, 0x0400, 0x3C00, 0x3555, 0x7BFF, 0xFBFF, 0x7C00, 0xFC00, 0x7E00, 0xFE01]
        let data = safetensorsBytes(
            header: #"{"h": {"dtype": "F16", "shape": [14], "data_offsets": [0, 28]}}"#, buffer: littleEndianBytes(bits))
        let values = try #require(try Safetensors.decode(data, name: "half").tensors["h"]).scalars
        let finite: [Float] = [0, -0.0, 0x1p-24, 0x3FFp-24, -0x200p-24, 0x1p-14, 1, 0.333251953125, 65504, -65504]
        #expect(Array(values[..<10]) == finite)
        #expect(values[1].sign == .minus)
        #expect(values[10] == .infinity && values[11] == -.infinity)
        #expect(values[12].isNaN && values[13].isNaN)
    }

    @Test func convertsBFloat16Float64AndIntegers() throws {
        let header = #"""
            {"b": {"dtype": "BF16", "shape": [5], "data_offsets": [0, 10]},
             "d": {"dtype": "F64", "shape": [3], "data_offsets": [10, 34]},
             "l": {"dtype": "I64", "shape": [3], "data_offsets": [34, 58]},
             "i": {"dtype": "I32", "shape": [1, 2], "data_offsets": [58, 66]}}
            """#
        // Unaligned on purpose: the F64 data starts at byte 10 of the buffer.
        let buffer = littleEndianBytes([UInt16(0x3F80), 0xC000, 0x4049, 0x7F80, 0x7FC0])
            + littleEndianBytes([0.1, -1e300, 2.5].map(\.bitPattern))
            + littleEndianBytes([Int64(0), -3, 1 << 40])
            + littleEndianBytes([Int32(7), -1])
        let tensors = try Safetensors.decode(safetensorsBytes(header: header, buffer: buffer), name: "mixed").tensors
        let bfloat = try #require(tensors["b"]).scalars
        #expect(Array(bfloat[..<4]) == [1, -2, 3.140625, .infinity])
        #expect(bfloat[4].isNaN)
        #expect(tensors["d"]?.scalars == [Float(0.1), -.infinity, 2.5])
        #expect(tensors["l"]?.scalars == [0, -3, 0x1p40])
        #expect(tensors["i"]?.shape == [1, 2])
        #expect(tensors["i"]?.scalars == [7, -1])
    }

    @Test func acceptsAHeaderPaddedWithWhitespace() throws {
        let data = safetensorsBytes(
            header: #"  {"x": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}    "#,
            buffer: littleEndianBytes([Float(2).bitPattern]))
        #expect(try Safetensors.decode(data, name: "padded").tensors["x"]?.scalars == [2])
    }
}
