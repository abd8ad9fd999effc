import Foundation
import LumenTensor

/// Reads and writes the safetensors format, Lumen's native weights format
/// (https://github.com/huggingface/safetensors).
///
/// A file is an 8-byte little-endian header length `N`, `N` bytes of UTF-8 JSON
/// describing each tensor (`{"conv.weight": {"dtype": "F32", "shape": [8, 3, 3, 3],
/// "data_offsets": [0, 864]}, "__metadata__": {...}}`), then the tensors' bytes,
/// little-endian, with offsets relative to the end of the header.
///
/// Reading converts F32, F16, BF16, F64, I64 and I32 tensors to Float32 tensors.
/// F64 values are rounded to the nearest Float; integer tensors (BatchNorm's
/// `num_batches_tracked`) become Floats, exact up to 2^24 in magnitude. Writing
/// produces F32 tensors with sorted keys, so equal inputs give identical files.
///
/// ```swift
/// try Safetensors.write(["conv.weight": weight], metadata: ["model": "zero-dce"], to: url)
/// let (tensors, metadata) = try Safetensors.read(contentsOf: url)
/// ```
public enum Safetensors {
    /// The contents of a safetensors file: tensors by key, the `__metadata__` strings,
    /// and the keys whose tensors were stored as integers (I64, I32, I8), which readers of
    /// weights refuse where they need floating-point parameters.
    public typealias Contents = (tensors: [String: Tensor], metadata: [String: String], integerKeys: Set<String>)

    /// Reads every tensor and the metadata of the safetensors file at `url`.
    ///
    /// - Parameter url: a file URL.
    /// - Returns: the tensors, converted to Float32, and the metadata (empty if absent).
    /// - Throws: ``SafetensorsError`` naming the file's last path component, if the
    ///   file cannot be read or is not a valid safetensors file.
    public static func read(contentsOf url: URL) throws(SafetensorsError) -> Contents {
        let (data, name) = try readFileContents(url) { SafetensorsError.unreadable(file: $0, reason: $1) }
        return try decode(data, name: name)
    }

    /// Decodes safetensors bytes held in memory.
    ///
    /// Validates the whole header before converting any tensor: a malformed or
    /// hostile header throws, never traps or allocates beyond the data's size.
    /// - Parameters:
    ///   - data: the complete file contents.
    ///   - name: the name used in error messages, typically the file name.
    /// - Returns: the tensors, converted to Float32, and the metadata (empty if absent).
    /// - Throws: ``SafetensorsError`` naming `name`, if `data` is not a valid safetensors file.
    public static func decode(_ data: Data, name: String) throws(SafetensorsError) -> Contents {
        guard data.count >= 8 else { throw .truncated(file: name, byteCount: data.count) }
        let headerLength = data.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw .headerLengthExceedsFile(file: name, headerLength: headerLength, fileSize: data.count)
        }
        let bufferStart = 8 + Int(headerLength)
        let header = try SafetensorsHeader(
            json: Array(data[data.startIndex + 8 ..< data.startIndex + bufferStart]),
            bufferSize: data.count - bufferStart, file: name)
        var tensors: [String: Tensor] = [:]
        data.withUnsafeBytes { bytes in
            for entry in header.entries {
                let source = UnsafeRawBufferPointer(rebasing: bytes[bufferStart + entry.begin ..< bufferStart + entry.end])
                tensors[entry.key] = Tensor(shape: Shape(entry.shape)) { entry.dtype.convert(source, into: $0) }
            }
        }
        let integerKeys = Set(header.entries.filter { $0.dtype.isInteger }.map(\.key))
        return (tensors, header.metadata, integerKeys)
    }

    /// Writes `tensors` as F32 to a safetensors file at `url`, atomically: a reader
    /// sees either the previous file or the complete new one.
    ///
    /// - Parameters:
    ///   - tensors: the tensors by key; `__metadata__` is reserved and must not be a key.
    ///   - metadata: free-form strings stored under `__metadata__`; omitted when empty.
    ///   - url: a file URL; an existing file is replaced.
    /// - Throws: ``AtomicFileError`` naming the path, if the file cannot be written;
    ///   an existing file is then left untouched.
    ///   - int8Keys: keys to store as I8 instead (see ``encode(_:metadata:int8Keys:)``).
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], int8Keys: Set<String> = [],
                             to url: URL) throws(AtomicFileError) {
        try AtomicFile.write(encode(tensors, metadata: metadata, int8Keys: int8Keys), to: url)
    }

    /// Encodes `tensors` as F32 safetensors bytes, or I8 for `int8Keys`.
    ///
    /// Keys are sorted, `__metadata__` comes first when `metadata` is not empty, and
    /// the header is padded with spaces so the tensor data starts 8-byte aligned.
    /// - Parameters:
    ///   - tensors: the tensors by key; `__metadata__` is reserved and must not be a key.
    ///   - metadata: free-form strings stored under `__metadata__`; omitted when empty.
    ///   - int8Keys: keys of tensors holding integers in `-128 ... 127` (quantised
    ///     weights), stored one byte each.
    /// - Returns: the complete file contents.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:], int8Keys: Set<String> = []) -> Data {
        precondition(tensors[SafetensorsHeader.metadataKey] == nil, "\(SafetensorsHeader.metadataKey) is reserved and cannot name a tensor")
        let keys = tensors.keys.sorted()
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            fields.append("\(jsonString(SafetensorsHeader.metadataKey)):{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for key in keys {
            let tensor = tensors[key]!
            let dtype: SafetensorsDType = int8Keys.contains(key) ? .int8 : .float32
            let end = offset + tensor.scalarCount * dtype.byteCount
            let shape = tensor.shape.dimensions.map(String.init).joined(separator: ",")
            fields.append("\(jsonString(key)):{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array("{\(fields.joined(separator: ","))}".utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))

        var data = Data(count: 8 + header.count + offset)
        data.withUnsafeMutableBytes { bytes in
            bytes.storeBytes(of: UInt64(header.count).littleEndian, as: UInt64.self)
            UnsafeMutableRawBufferPointer(rebasing: bytes[8 ..< 8 + header.count]).copyBytes(from: header)
            var position = 8 + header.count
            for key in keys {
                tensors[key]!.withUnsafeBufferPointer { values in
                    if int8Keys.contains(key) {
                        for value in values {
                            precondition(value == value.rounded() && (-128...127).contains(value), "\(key) holds \(value), not an int8")
                            bytes[position] = UInt8(bitPattern: Int8(value))
                            position += 1
                        }
                        return
                    }
                    // Safetensors is little-endian whatever the host's byte order.
                    for value in values {
                        bytes.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: position, as: UInt32.self)
                        position += 4
                    }
                }
            }
        }
        return data
    }

    /// `text` as a quoted JSON string literal.
    private static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\u{0}"..<"\u{20}": result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
