import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// An `.npy` file built by hand: magic, version, header length, a header padded
/// with spaces to a 64-byte boundary and ending in a newline, then `payload`.
private func npyBytes(header: String, payload: [UInt8], major: UInt8 = 1) -> Data {
    let lengthSize = major == 1 ? 2 : 4
    var text = Array(header.utf8)
    let unpadded = 8 + lengthSize + text.count + 1
    text += [UInt8](repeating: 0x20, count: (64 - unpadded % 64) % 64) + [0x0A]
    let length = withUnsafeBytes(of: UInt32(text.count).littleEndian, Array.init).prefix(lengthSize)
    return Data([0x93] + Array("NUMPY".utf8) + [major, 0] + length + text + payload)
}

private func npyBytes(descr: String, shape: String, payload: [UInt8], major: UInt8 = 1) -> Data {
    npyBytes(header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }", payload: payload, major: major)
}

/// The little-endian bytes of `values`.
private func payload<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
}

/// The values 0, 1, 2, 250 and their bytes in each element type.
private func countingBytes(_ type: NumPyArray.ElementType) -> [UInt8] {
    switch type {
    case .float32: payload([Float(0), 1, 2, 250].map(\.bitPattern))
    case .float64: payload([Double(0), 1, 2, 250].map(\.bitPattern))
    case .int64: payload([Int64(0), 1, 2, 250])
    case .int32: payload([Int32(0), 1, 2, 250])
    case .uint8: [0, 1, 2, 250]
    case .uint16: payload([UInt16(0), 1, 2, 250])
    }
}

@Suite struct NumPyTests {
    @Test(arguments: NumPyArray.ElementType.allCases)
    func decodesEachElementType(_ type: NumPyArray.ElementType) throws {
        let array = try NumPyArray.decode(npyBytes(descr: type.rawValue, shape: "(2, 2)", payload: countingBytes(type)), name: "a.npy")
        #expect(array.elementType == type)
        #expect(array.shape == [2, 2])
        #expect(array.floats == [0, 1, 2, 250])
        #expect(array.doubles == [0, 1, 2, 250])
        #expect(array.tensor.shape.dimensions == [2, 2])
        #expect(array.tensor.scalars == [0, 1, 2, 250])
    }

    @Test func keepsSignsAndPrecision() throws {
        let int64 = try NumPyArray.decode(npyBytes(descr: "<i8", shape: "(2,)", payload: payload([Int64(-3), 1 << 40])), name: "a.npy")
        #expect(int64.doubles == [-3, 0x1p40])
        let int32 = try NumPyArray.decode(npyBytes(descr: "<i4", shape: "(1,)", payload: payload([Int32.min])), name: "a.npy")
        #expect(int32.floats == [-0x1p31])
        let value = 0.1, float64 = try NumPyArray.decode(npyBytes(descr: "<f8", shape: "(1,)", payload: payload([value.bitPattern])), name: "a.npy")
        #expect(float64.doubles == [value])
        #expect(float64.floats == [Float(value)])
        let subnormal = Float(bitPattern: 1)
        let float32 = try NumPyArray.decode(npyBytes(descr: "<f4", shape: "(1,)", payload: payload([subnormal.bitPattern])), name: "a.npy")
        #expect(float32.floats.map(\.bitPattern) == [1])
    }

    @Test(arguments: [UInt8(2), 3])
    func readsLaterFormatVersions(major: UInt8) throws {
        let array = try NumPyArray.decode(npyBytes(descr: "<f4", shape: "(4,)", payload: countingBytes(.float32), major: major), name: "a.npy")
        #expect(array.floats == [0, 1, 2, 250])
    }

    @Test func readsZeroDimensionalEmptyAndPython2Shapes() throws {
        let scalar = try NumPyArray.decode(npyBytes(descr: "<f8", shape: "()", payload: payload([Double(7).bitPattern])), name: "a.npy")
        #expect(scalar.shape == [] && scalar.doubles == [7] && scalar.tensor.scalars == [7])
        let empty = try NumPyArray.decode(npyBytes(descr: "<f4", shape: "(1000000, 0)", payload: []), name: "a.npy")
        #expect(empty.shape == [1_000_000, 0] && empty.floats.isEmpty)
        let legacy = try NumPyArray.decode(npyBytes(header: #"{"descr":"|u1","shape":(2L,2L),"fortran_order":False}"#, payload: [1, 2, 3, 4]), name: "a.npy")
        #expect(legacy.shape == [2, 2] && legacy.floats == [1, 2, 3, 4])
    }

    @Test func refusesMalformedFiles() {
        let name = "bad.npy"
        func decode(_ data: Data) throws(NumPyError) { _ = try NumPyArray.decode(data, name: name) }
        #expect(throws: NumPyError.notNumPy(file: name, firstBytes: [])) { try decode(Data()) }
        #expect(throws: NumPyError.notNumPy(file: name, firstBytes: Array("PK\u{3}\u{4}abcd".utf8))) { try decode(Data("PK\u{3}\u{4}abcdef".utf8)) }
        #expect(throws: NumPyError.unsupportedVersion(file: name, major: 4, minor: 0)) {
            try decode(npyBytes(descr: "<f4", shape: "(1,)", payload: [0, 0, 0, 0], major: 4))
        }
        #expect(throws: NumPyError.truncated(file: name)) { try decode(npyBytes(descr: "<f4", shape: "(1,)", payload: []).prefix(40)) }
        #expect(throws: NumPyError.unsupportedDType(file: name, descr: ">f4")) { try decode(npyBytes(descr: ">f4", shape: "(1,)", payload: [0, 0, 0, 0])) }
        #expect(throws: NumPyError.sizeMismatch(file: name, shape: [2], descr: "<f4", expectedByteCount: 8, actualByteCount: 4)) {
            try decode(npyBytes(descr: "<f4", shape: "(2,)", payload: [0, 0, 0, 0]))
        }
        #expect(throws: NumPyError.sizeMismatch(file: name, shape: [1 << 62, 8], descr: "<f4", expectedByteCount: nil, actualByteCount: 0)) {
            try decode(npyBytes(descr: "<f4", shape: "(\(1 << 62), 8)", payload: []))
        }
        // Found by reading the fuzz target: empty, but its element count overflowed in `floats`.
        #expect(throws: NumPyError.sizeMismatch(file: name, shape: [1 << 62, 1 << 62, 0], descr: "<f4", expectedByteCount: nil, actualByteCount: 0)) {
            try decode(npyBytes(descr: "<f4", shape: "(\(1 << 62), \(1 << 62), 0)", payload: []))
        }
        for header in ["{'descr': '<f4', 'shape': (1,)}", "{'descr': '<f4'", "['<f4']", "{'descr': '<f4', 'fortran_order': False, 'shape': (x,)}",
                       "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "{'descr: 1}"] {
            #expect(throws: NumPyError.self) { try decode(npyBytes(header: header, payload: [0, 0, 0, 0])) }
        }
    }

    @Test func reordersFortranArraysToRowMajor() throws {
        // Column-major [[0, 1, 2], [3, 4, 5]] of shape (2, 3) is stored 0 3 1 4 2 5.
        let header = "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }"
        let matrix = try NumPyArray.decode(npyBytes(header: header, payload: [0, 3, 1, 4, 2, 5]), name: "a.npy")
        #expect(matrix.shape == [2, 3] && matrix.floats == [0, 1, 2, 3, 4, 5])
        // Shape (2, 3, 2): element [i, j, k] sits at i + 2j + 6k.
        let cube = try NumPyArray.decode(npyBytes(header: "{'descr': '<u2', 'fortran_order': True, 'shape': (2, 3, 2), }",
                                                  payload: payload((0 ..< 12).map { UInt16($0) })), name: "a.npy")
        var expected: [Float] = []
        for i in 0 ..< 2 { for j in 0 ..< 3 { for k in 0 ..< 2 { expected.append(Float(i + 2 * j + 6 * k)) } } }
        #expect(cube.floats == expected)
    }

    @Test func namesTheFileInMessages() {
        let error = NumPyError.unsupportedDType(file: "x.npy", descr: ">f4")
        #expect(error.localizedDescription == "x.npy: dtype '>f4' is not supported (supported: <f4, <f8, <i8, <i4, |u1, <u2)")
        #expect(NumPyError.notNumPy(file: "x.npy", firstBytes: [0x50, 0x4B]).localizedDescription == "x.npy: not a .npy file (first bytes 50 4B)")
    }

    @Test func decodesArchivesKeyedWithoutSuffix() throws {
        let archive = zipArchiveBytes([
            ("a.npy", Array(npyBytes(descr: "<f4", shape: "(4,)", payload: countingBytes(.float32)))),
            ("b.c.npy", Array(npyBytes(descr: "|u1", shape: "(1,)", payload: [9]))),
        ])
        let arrays = try NumPyArchive.decode(archive, name: "w.npz")
        #expect(Set(arrays.keys) == ["a", "b.c"])
        #expect(arrays["b.c"]?.floats == [9])
        let bad = zipArchiveBytes([("a.npy", Array(npyBytes(descr: "<c8", shape: "(1,)", payload: [])))])
        #expect(throws: NumPyError.unsupportedDType(file: "w.npz/a.npy", descr: "<c8")) { try NumPyArchive.decode(bad, name: "w.npz") }
    }

    @Test func refusesCompressedArchives() {
        let archive = zipArchiveBytes([("a.npy", [1, 2, 3])], method: 8)
        #expect(throws: NumPyError.archive(.compressedEntry(file: "w.npz", entry: "a.npy", method: 8))) {
            try NumPyArchive.decode(archive, name: "w.npz")
        }
    }

    @Test(.tags(.golden), .fixtures(Fixtures.reference("dicm_01_zerodce.npy")))
    func readsAReferenceImage() throws {
        let array = try NumPyArray.load(contentsOf: try Fixtures.require(Fixtures.reference("dicm_01_zerodce.npy")))
        #expect(array.elementType == .float32)
        #expect(array.shape == [320, 240, 3])
        // Values printed by NumPy from the same file.
        #expect(array.floats.prefix(3) == [0.02024455927312374, 0.020941801369190216, 0.02142082341015339])
        let sum = array.doubles.reduce(0, +)
        #expect(Swift.abs(sum - 40605.620667037554) < 1e-6)
    }

    @Test(.tags(.golden), .fixtures(Fixtures.shared("fixtures/metrics/niqe_pris_params.npz")))
    func readsAFloat64Archive() throws {
        let arrays = try NumPyArchive.load(contentsOf: try Fixtures.require(Fixtures.shared("fixtures/metrics/niqe_pris_params.npz")))
        #expect(arrays.mapValues(\.shape) == ["mu_pris_param": [1, 36], "cov_pris_param": [36, 36], "gaussian_window": [7, 7]])
        #expect(arrays.values.allSatisfy { $0.elementType == .float64 })
        #expect(arrays["mu_pris_param"]?.doubles.prefix(2) == [2.6013136801541448, 0.9057027215337194])
        #expect(arrays["gaussian_window"]?.doubles.first == 0.0001577586358082699)
        // Stored in Fortran order (it comes from MATLAB); a covariance is symmetric either way.
        let covariance = try #require(arrays["cov_pris_param"]?.doubles)
        #expect(covariance.prefix(3) == [0.45347810202943506, 0.096101104144407, 0.08276324290811907])
        let transposed = (0 ..< 36 * 36).map { (index: Int) -> Double in covariance[index % 36 * 36 + index / 36] }
        #expect(covariance == transposed)
    }
}
