import Foundation
import LumenTensor

/// An array read from NumPy's `.npy` format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
///
/// A file is the magic `\x93NUMPY`, a version (1.0, 2.0 or 3.0), a header
/// length (2 bytes in version 1, 4 later), a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (320, 240, 3), }`, then
/// the elements. Little-endian ``ElementType``s are read; arrays in Fortran
/// (column-major) order, as MATLAB-derived data is often saved, are reordered to
/// row-major on load.
///
/// ```swift
/// let image = try NumPyArray.load(contentsOf: url)   // shape [320, 240, 3]
/// let tensor = image.tensor
/// ```
public struct NumPyArray: Sendable {
    /// The element types read, with NumPy's `descr` spellings as raw values.
    public enum ElementType: String, CaseIterable, Sendable {
        case float32 = "<f4", float64 = "<f8", int64 = "<i8", int32 = "<i4", uint8 = "|u1", uint16 = "<u2"

        /// Bytes per element.
        public var byteCount: Int {
            switch self {
            case .uint8: 1
            case .uint16: 2
            case .float32, .int32: 4
            case .float64, .int64: 8
            }
        }
    }

    /// The type of the stored elements.
    public let elementType: ElementType
    /// The dimensions; empty for a 0-d array, which holds one element.
    public let shape: [Int]
    /// The elements' little-endian bytes in row-major order.
    private let bytes: Data

    /// The number of elements, the product of ``shape``.
    public var scalarCount: Int { shape.reduce(1, *) }

    /// The elements in row-major order as Float: float32 bit-exact, float64
    /// rounded to nearest, integers converted (exact up to 2^24 in magnitude).
    public var floats: [Float] {
        switch elementType {
        case .float32: elements(UInt32.self) { Float(bitPattern: $0) }
        // Directly: through Double, values beyond 2^53 would be rounded twice.
        case .int64: elements(UInt64.self) { Float(Int64(bitPattern: $0)) }
        // The others are exact in Double, so this rounds once.
        case .float64, .int32, .uint8, .uint16: doubles.map(Float.init)
        }
    }

    /// The elements in row-major order as Double, exact except int64 beyond 2^53.
    public var doubles: [Double] {
        switch elementType {
        case .float32: elements(UInt32.self) { Double(Float(bitPattern: $0)) }
        case .float64: elements(UInt64.self) { Double(bitPattern: $0) }
        case .int64: elements(UInt64.self) { Double(Int64(bitPattern: $0)) }
        case .int32: elements(UInt32.self) { Double(Int32(bitPattern: $0)) }
        case .uint8: elements(UInt8.self) { Double($0) }
        case .uint16: elements(UInt16.self) { Double($0) }
        }
    }

    /// The array as a tensor of the same shape, with the values of ``floats``.
    public var tensor: Tensor { Tensor(shape: Shape(shape), scalars: floats) }

    private func elements<Bits: FixedWidthInteger, Value>(_: Bits.Type, _ convert: (Bits) -> Value) -> [Value] {
        // Loads are unaligned: the data follows a header of arbitrary length inside a zip entry.
        bytes.withUnsafeBytes { raw in
            (0 ..< scalarCount).map { index in
                convert(Bits(littleEndian: raw.loadUnaligned(fromByteOffset: index * Bits.bitWidth / 8, as: Bits.self)))
            }
        }
    }

    /// Reads the `.npy` file at `url`.
    ///
    /// - Throws: ``NumPyError`` naming the file's last path component.
    public static func load(contentsOf url: URL) throws(NumPyError) -> NumPyArray {
        let (data, name) = try readFileContents(url) { NumPyError.unreadable(file: $0, reason: $1) }
        return try decode(data, name: name)
    }

    /// Decodes `.npy` bytes held in memory.
    ///
    /// - Parameters:
    ///   - data: the complete file contents.
    ///   - name: the name used in error messages.
    /// - Throws: ``NumPyError`` naming `name`, if `data` is not a supported `.npy` array.
    public static func decode(_ data: Data, name: String) throws(NumPyError) -> NumPyArray {
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 8, bytes[0 ..< 6].elementsEqual([0x93] + Array("NUMPY".utf8)) else {
            throw .notNumPy(file: name, firstBytes: Array(bytes.prefix(8)))
        }
        let (major, minor) = (bytes[6], bytes[7])
        guard [1, 2, 3].contains(major), minor == 0 else { throw .unsupportedVersion(file: name, major: major, minor: minor) }
        let lengthSize = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthSize else { throw .truncated(file: name) }
        let headerLength = bytes[8 ..< 8 + lengthSize].reversed().reduce(0) { $0 << 8 | Int($1) }
        let dataStart = 8 + lengthSize + headerLength
        guard dataStart <= data.count else { throw .truncated(file: name) }
        let headerBytes = [UInt8](data.dropFirst(8 + lengthSize).prefix(headerLength))
        var scanner = HeaderScanner(bytes: headerBytes, file: name)
        let fields = try scanner.dictionary()

        guard case .string(let descr)? = fields["descr"] else { throw .malformedHeader(file: name, reason: "no 'descr' string") }
        guard let elementType = ElementType(rawValue: descr) else { throw .unsupportedDType(file: name, descr: descr) }
        guard case .bool(let fortranOrder)? = fields["fortran_order"] else {
            throw .malformedHeader(file: name, reason: "no 'fortran_order' boolean")
        }
        guard case .tuple(let shape)? = fields["shape"] else { throw .malformedHeader(file: name, reason: "no 'shape' tuple") }

        let payload = data.count - dataStart
        // `nil` when the byte count of the non-zero dimensions overflows, even if a zero
        // dimension empties the array: `scalarCount` multiplies them in order, and
        // (2^62, 2^62, 0) would trap there. Otherwise a zero dimension empties the array.
        let expected = shape.filter { $0 != 0 }.reduce(Optional(elementType.byteCount)) { product, dimension in
            product.flatMap { let (bytes, overflow) = $0.multipliedReportingOverflow(by: dimension); return overflow ? nil : bytes }
        }.map { shape.contains(0) ? 0 : $0 }
        guard expected == payload else {
            throw .sizeMismatch(file: name, shape: shape, descr: descr, expectedByteCount: expected, actualByteCount: payload)
        }
        let elements = Data(data.suffix(payload))
        return NumPyArray(elementType: elementType, shape: shape,
                          bytes: fortranOrder ? rowMajor(elements, shape: shape, elementSize: elementType.byteCount) : elements)
    }

    /// The elements of a column-major array rearranged into row-major order.
    private static func rowMajor(_ elements: Data, shape: [Int], elementSize: Int) -> Data {
        guard shape.count > 1, !elements.isEmpty else { return elements }
        // Byte strides of a column-major layout: the first axis varies fastest.
        var strides = [elementSize]
        for extent in shape.dropLast() { strides.append(strides[strides.count - 1] * extent) }
        var result = Data(count: elements.count)
        elements.withUnsafeBytes { source in
            result.withUnsafeMutableBytes { destination in
                var index = [Int](repeating: 0, count: shape.count), position = 0
                for start in stride(from: 0, to: destination.count, by: elementSize) {
                    destination.baseAddress!.advanced(by: start).copyMemory(from: source.baseAddress!.advanced(by: position), byteCount: elementSize)
                    var axis = shape.count - 1
                    while axis >= 0 {
                        index[axis] += 1
                        position += strides[axis]
                        if index[axis] < shape[axis] { break }
                        position -= strides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return result
    }
}

/// Reads NumPy `.npz` archives, as written by `np.savez` (stored, uncompressed zip entries).
public enum NumPyArchive {
    /// Reads every array in the `.npz` file at `url`.
    ///
    /// - Returns: the arrays, keyed by entry name without the `.npy` suffix.
    /// - Throws: ``NumPyError`` naming the file (and the entry, as `weights.npz/conv.weight.npy`);
    ///   archives from `np.savez_compressed` are refused with ``ZipArchiveError/compressedEntry(file:entry:method:)``.
    public static func load(contentsOf url: URL) throws(NumPyError) -> [String: NumPyArray] {
        let archive: ZipArchive
        do { archive = try ZipArchive(contentsOf: url) } catch { throw .archive(error) }
        return try arrays(in: archive)
    }

    /// Decodes `.npz` bytes held in memory.
    ///
    /// - Parameters:
    ///   - data: the complete archive.
    ///   - name: the name used in error messages.
    /// - Returns: the arrays, keyed by entry name without the `.npy` suffix.
    /// - Throws: ``NumPyError`` naming `name`, as ``load(contentsOf:)`` does.
    public static func decode(_ data: Data, name: String) throws(NumPyError) -> [String: NumPyArray] {
        let archive: ZipArchive
        do { archive = try ZipArchive(data: data, name: name) } catch { throw .archive(error) }
        return try arrays(in: archive)
    }

    private static func arrays(in archive: ZipArchive) throws(NumPyError) -> [String: NumPyArray] {
        var arrays: [String: NumPyArray] = [:]
        for entry in archive.entries {
            let bytes: Data
            do { bytes = try archive.contents(of: entry.name) } catch { throw .archive(error) }
            let key = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
            arrays[key] = try NumPyArray.decode(bytes, name: archive.name + "/" + entry.name)
        }
        return arrays
    }
}

/// A `.npy` or `.npz` file that cannot be read. Every message starts with the file name.
public enum NumPyError: Error, LocalizedError, Equatable, Sendable {
    /// The file could not be read from disk.
    case unreadable(file: String, reason: String)
    /// The file does not start with the `.npy` magic `\x93NUMPY`.
    case notNumPy(file: String, firstBytes: [UInt8])
    /// The format version is not 1.0, 2.0 or 3.0.
    case unsupportedVersion(file: String, major: UInt8, minor: UInt8)
    /// The file ends inside its header.
    case truncated(file: String)
    /// The header is not a dict literal with `descr`, `fortran_order` and `shape`.
    case malformedHeader(file: String, reason: String)
    /// The element type is not one of ``NumPyArray/ElementType`` (big-endian, complex, objects, ...).
    case unsupportedDType(file: String, descr: String)
    /// The data holds a different number of bytes than the shape needs (`nil` when that overflows).
    case sizeMismatch(file: String, shape: [Int], descr: String, expectedByteCount: Int?, actualByteCount: Int)
    /// The `.npz` zip archive itself cannot be read.
    case archive(ZipArchiveError)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read file (\(reason))"
        case .notNumPy(let file, let firstBytes):
            "\(file): not a .npy file (first bytes \(firstBytes.map { String(format: "%02X", $0) }.joined(separator: " ")))"
        case .unsupportedVersion(let file, let major, let minor): "\(file): unsupported .npy format version \(major).\(minor)"
        case .truncated(let file): "\(file): truncated .npy file (it ends inside the header)"
        case .malformedHeader(let file, let reason): "\(file): malformed .npy header: \(reason)"
        case .unsupportedDType(let file, let descr):
            "\(file): dtype '\(descr)' is not supported (supported: \(NumPyArray.ElementType.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .sizeMismatch(let file, let shape, let descr, let expected, let actual):
            "\(file): shape \(shape) of '\(descr)' needs \(expected.map(String.init) ?? "more than \(actual)") bytes but the file holds \(actual)"
        case .archive(let error): error.errorDescription
        }
    }
}

/// A value in an `.npy` header dict.
private enum HeaderValue { case string(String), bool(Bool), tuple([Int]) }

/// Parses the Python dict literal of an `.npy` header; bounded by the header's length.
private struct HeaderScanner {
    let bytes: [UInt8]
    let file: String
    var index = 0

    mutating func dictionary() throws(NumPyError) -> [String: HeaderValue] {
        var fields: [String: HeaderValue] = [:]
        try expect("{")
        while !consume("}") {
            let key = try string()
            try expect(":")
            fields[key] = try value()
            if !consume(",") { try expect("}"); break }
        }
        skipSpace()
        guard index == bytes.count else { throw failure("text after the closing brace") }
        return fields
    }

    private mutating func value() throws(NumPyError) -> HeaderValue {
        if consume("(") {
            var dimensions: [Int] = []
            while !consume(")") {
                dimensions.append(try integer())
                if !consume(",") { try expect(")"); break }
            }
            return .tuple(dimensions)
        }
        if consumeWord("True") { return .bool(true) }
        if consumeWord("False") { return .bool(false) }
        return .string(try string())
    }

    private mutating func string() throws(NumPyError) -> String {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "'") || bytes[index] == UInt8(ascii: "\"") else {
            throw failure("expected a quoted string at byte \(index)")
        }
        let quote = bytes[index]
        guard let end = bytes[(index + 1)...].firstIndex(of: quote) else { throw failure("unterminated string") }
        defer { index = end + 1 }
        return String(decoding: bytes[(index + 1) ..< end], as: UTF8.self)
    }

    private mutating func integer() throws(NumPyError) -> Int {
        skipSpace()
        var value = 0
        let start = index
        while index < bytes.count, (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(bytes[index]) {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow, product <= Int.max - 9 else { throw failure("dimension too large") }
            value = product + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        guard index > start else { throw failure("expected a dimension at byte \(index)") }
        // Python 2 era writers spell long integers with an `L` suffix: `(3L, 4L)`.
        _ = consume("L")
        return value
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func consume(_ character: Unicode.Scalar) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    private mutating func consumeWord(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard bytes[index...].starts(with: utf8) else { return false }
        index += utf8.count
        return true
    }

    private mutating func expect(_ character: Unicode.Scalar) throws(NumPyError) {
        guard consume(character) else { throw failure("expected '\(character)' at byte \(index)") }
    }

    private func failure(_ reason: String) -> NumPyError { .malformedHeader(file: file, reason: reason) }
}
