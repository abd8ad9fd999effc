import Foundation

/// A safetensors file that cannot be read.
///
/// Every case carries `file`, the name of the file (or of the in-memory buffer
/// passed to ``Safetensors/decode(_:name:)``), and every message starts with it:
/// `"model.safetensors: tensors conv.bias and conv.weight overlap"`.
public enum SafetensorsError: Error, LocalizedError, Equatable, Sendable {
    /// The file could not be read from disk.
    case unreadable(file: String, reason: String)
    /// The file is shorter than the 8-byte header length prefix.
    case truncated(file: String, byteCount: Int)
    /// The header length prefix points past the end of the file.
    case headerLengthExceedsFile(file: String, headerLength: UInt64, fileSize: Int)
    /// The header is not UTF-8 JSON, or not an object of the expected form.
    case malformedHeader(file: String, reason: String)
    /// A tensor entry lacks a field or has a field of the wrong type.
    case malformedEntry(file: String, key: String, reason: String)
    /// A JSON object in the header names the same key twice.
    case duplicateKey(file: String, key: String)
    /// A tensor uses a dtype this reader does not convert.
    case unsupportedDType(file: String, key: String, dtype: String)
    /// A tensor's shape has a negative dimension.
    case negativeDimension(file: String, key: String, shape: [Int])
    /// A tensor's shape and dtype need a different number of bytes than its offsets span.
    case sizeMismatch(file: String, key: String, shape: [Int], dtype: String, expectedByteCount: Int, actualByteCount: Int)
    /// A tensor's offsets are negative, reversed, or past the end of the byte buffer.
    case offsetsOutOfBounds(file: String, key: String, begin: Int, end: Int, bufferSize: Int)
    /// Two tensors share bytes.
    case overlappingTensors(file: String, first: String, second: String)
    /// Bytes of the buffer belong to no tensor; the format requires full coverage.
    case uncoveredBytes(file: String, begin: Int, end: Int)

    /// The file or buffer name the error is about.
    public var file: String {
        switch self {
        case .unreadable(let file, _), .truncated(let file, _),
             .headerLengthExceedsFile(let file, _, _), .malformedHeader(let file, _),
             .malformedEntry(let file, _, _), .duplicateKey(let file, _),
             .unsupportedDType(let file, _, _), .negativeDimension(let file, _, _),
             .sizeMismatch(let file, _, _, _, _, _), .offsetsOutOfBounds(let file, _, _, _, _),
             .overlappingTensors(let file, _, _), .uncoveredBytes(let file, _, _):
            return file
        }
    }

    public var errorDescription: String? {
        "\(file): " + problem
    }

    private var problem: String {
        switch self {
        case .unreadable(_, let reason):
            return "cannot read safetensors file (\(reason))"
        case .truncated(_, let byteCount):
            return "\(byteCount) bytes is too short for a safetensors file (needs at least 8)"
        case .headerLengthExceedsFile(_, let headerLength, let fileSize):
            return "header length \(headerLength) exceeds the file size of \(fileSize) bytes"
        case .malformedHeader(_, let reason):
            return "malformed safetensors header: \(reason)"
        case .malformedEntry(_, let key, let reason):
            return "tensor \(key): \(reason)"
        case .duplicateKey(_, let key):
            return "header names key \"\(key)\" more than once"
        case .unsupportedDType(_, let key, let dtype):
            return "tensor \(key): dtype \(dtype) is not supported (supported: \(SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .negativeDimension(_, let key, let shape):
            return "tensor \(key): negative dimension in shape \(shape)"
        case .sizeMismatch(_, let key, let shape, let dtype, let expected, let actual):
            return "tensor \(key): shape \(shape) of \(dtype) needs \(expected) bytes but data_offsets span \(actual)"
        case .offsetsOutOfBounds(_, let key, let begin, let end, let bufferSize):
            return "tensor \(key): data_offsets [\(begin), \(end)] are outside the \(bufferSize)-byte buffer"
        case .overlappingTensors(_, let first, let second):
            return "tensors \(first) and \(second) overlap"
        case .uncoveredBytes(_, let begin, let end):
            return "bytes \(begin)..<\(end) of the buffer belong to no tensor"
        }
    }
}
