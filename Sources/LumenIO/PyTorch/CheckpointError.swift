import Foundation

/// A PyTorch checkpoint that ``TorchCheckpoint`` cannot or will not load.
///
/// Every case names the file and every message starts with it:
/// `"model.pth: refuses to load global os.system (only tensor state dictionaries are supported)"`.
public enum CheckpointError: Error, LocalizedError, Equatable, Sendable {
    /// The file could not be read from disk.
    case unreadable(file: String, reason: String)
    /// The file is neither a zip checkpoint nor a legacy one; `firstBytes` are its first (up to 8) bytes.
    case notACheckpoint(file: String, firstBytes: [UInt8])
    /// The file ends at `offset` while `context` (a pickle opcode, a storage) was being read.
    case truncated(file: String, offset: Int, context: String)
    /// The zip container of a checkpoint cannot be read (cut short, compressed entries, ...).
    case archive(ZipArchiveError)
    /// The zip archive has no `<archive>/data.pkl` record.
    case missingPickle(file: String)
    /// The checkpoint was written on a big-endian machine.
    case unsupportedByteOrder(file: String, order: String)
    /// The pickle names a Python global outside the allow-list: loading it could run code.
    case forbiddenGlobal(file: String, module: String, name: String)
    /// A storage type this reader does not convert, such as `torch.ByteStorage`.
    case unsupportedStorageType(file: String, name: String)
    /// A byte in opcode position is not a supported pickle opcode.
    case unsupportedOpcode(file: String, opcode: UInt8, offset: Int)
    /// The pickle is well formed byte by byte but not a valid object (stack underflow, wrong argument types, ...).
    case malformedPickle(file: String, offset: Int, reason: String)
    /// A tensor refers to a storage that the file does not contain.
    case missingStorage(file: String, key: String)
    /// A tensor's offset, size and stride reach past the end of its storage.
    case storageTooSmall(file: String, tensor: String, storage: String, requiredCount: Int, availableCount: Int)
    /// The pickled object is not a state dictionary, nor holds exactly one.
    case notAStateDict(file: String, reason: String)

    /// The file the error is about.
    public var file: String {
        switch self {
        case .unreadable(let file, _), .notACheckpoint(let file, _), .truncated(let file, _, _),
             .missingPickle(let file), .unsupportedByteOrder(let file, _), .forbiddenGlobal(let file, _, _),
             .unsupportedStorageType(let file, _), .unsupportedOpcode(let file, _, _),
             .malformedPickle(let file, _, _), .missingStorage(let file, _),
             .storageTooSmall(let file, _, _, _, _), .notAStateDict(let file, _):
            file
        case .archive(let error):
            error.file
        }
    }

    public var errorDescription: String? {
        if case .archive(let error) = self { return error.errorDescription }
        return "\(file): " + problem
    }

    private var problem: String {
        switch self {
        case .unreadable(_, let reason):
            "cannot read file (\(reason))"
        case .notACheckpoint(_, let firstBytes) where firstBytes.isEmpty:
            "the file is empty, not a PyTorch checkpoint"
        case .notACheckpoint(_, let firstBytes):
            "not a PyTorch checkpoint (first bytes \(firstBytes.map { String(format: "%02X", $0) }.joined(separator: " ")); expected a torch.save zip or legacy file)"
        case .truncated(_, let offset, let context):
            "truncated: the file ends at byte \(offset) inside \(context)"
        case .missingPickle:
            "zip archive without a data.pkl record, not a torch.save checkpoint"
        case .unsupportedByteOrder(_, let order):
            "saved with \(order)-endian byte order; only little-endian checkpoints are supported"
        case .forbiddenGlobal(_, let module, let name):
            "refuses to load global \(module).\(name) (only tensor state dictionaries are supported)"
        case .unsupportedStorageType(_, let name):
            "storage type \(name) is not supported (supported: \(TorchStorageType.allCases.map { "torch." + $0.rawValue }.joined(separator: ", ")))"
        case .unsupportedOpcode(_, let opcode, let offset):
            "unsupported pickle opcode 0x\(String(format: "%02X", opcode)) at offset \(offset)"
        case .malformedPickle(_, let offset, let reason):
            "malformed pickle at offset \(offset): \(reason)"
        case .missingStorage(_, let key):
            "no record for storage \(key)"
        case .storageTooSmall(_, let tensor, let storage, let required, let available):
            "tensor \(tensor) needs \(required) elements of storage \(storage), which holds \(available)"
        case .notAStateDict(_, let reason):
            "not a state dictionary: \(reason)"
        case .archive(let error):
            error.errorDescription ?? ""
        }
    }
}
