import Foundation
import LumenNN
import LumenTensor

/// What a model does with one key of an official PyTorch checkpoint.
public enum CheckpointKeyRule: Equatable, Sendable {
    /// Load the tensor into the Lumen parameter or buffer with this key.
    case load(as: String)
    /// Deliberately drop the tensor, for the stated reason.
    case ignore(because: String)
}

/// A model whose official checkpoints Lumen can import. The key mapping lives in
/// one place per model, its `Model+Import.swift`.
public protocol CheckpointImportable: Module {
    /// The rule for an official key, or `nil` for a key the model does not know
    /// (the checkpoint is then rejected: it is probably another model's).
    static func importRule(forKey torchKey: String) -> CheckpointKeyRule?
}

extension CheckpointKeyRule {
    /// The rule for PyTorch layer keys under renamed prefixes: `<torch prefix>weight`
    /// → `<Lumen prefix>weight`, likewise `bias`, batch-norm's `running_mean` and
    /// `running_var` (→ `runningMean`, `runningVariance`); its `num_batches_tracked`
    /// counter is dropped. `nil` when no prefix matches or the field is unknown.
    static func renamingLayer(_ torchKey: String, prefixes: [String: String]) -> CheckpointKeyRule? {
        guard let (prefix, lumenPrefix) = prefixes.first(where: { torchKey.hasPrefix($0.key) }) else { return nil }
        switch torchKey.dropFirst(prefix.count) {
        case "weight": return .load(as: lumenPrefix + "weight")
        case "bias": return .load(as: lumenPrefix + "bias")
        case "running_mean": return .load(as: lumenPrefix + "runningMean")
        case "running_var": return .load(as: lumenPrefix + "runningVariance")
        case "num_batches_tracked": return .ignore(because: "batch-norm step counter, unused with momentum 0.1")
        default: return nil
        }
    }
}

/// What importing a checkpoint did with each of its keys.
public struct CheckpointImportReport: Sendable {
    /// Official key → Lumen key, for every tensor loaded.
    public let loaded: [String: String]
    /// Official key → reason, for every tensor dropped on purpose.
    public let ignored: [String: String]
}

extension CheckpointImportable {
    /// Loads official tensors into this model, strictly: every key must have a
    /// rule, and every parameter and buffer of the model must be filled.
    /// - Parameter source: the checkpoint's file name, for error messages.
    @discardableResult
    public func importCheckpoint(_ tensors: [String: Tensor], source: String) throws(ModelLoadingError) -> CheckpointImportReport {
        var state: [String: Tensor] = [:]
        var loaded: [String: String] = [:], ignored: [String: String] = [:]
        for key in tensors.keys.sorted() {
            switch Self.importRule(forKey: key) {
            case .load(let lumenKey)?:
                state[lumenKey] = tensors[key]
                loaded[key] = lumenKey
            case .ignore(let reason)?:
                ignored[key] = reason
            case nil:
                throw .unknownKey(file: source, key: key, model: String(describing: Self.self))
            }
        }
        do {
            try load(StateDict(state.map { (key: $0.key, tensor: $0.value) }), strict: true)
        } catch {
            throw .incompatible(file: source, model: String(describing: Self.self), reason: error.localizedDescription)
        }
        return CheckpointImportReport(loaded: loaded, ignored: ignored)
    }
}

/// Why weights could not be loaded into a model.
public enum ModelLoadingError: Error, LocalizedError, Equatable {
    /// The checkpoint has a key the model has no rule for.
    case unknownKey(file: String, key: String, model: String)
    /// Keys or shapes do not fit the model.
    case incompatible(file: String, model: String, reason: String)
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not valid weights; the message (from the format's reader) names it.
    case invalidWeights(message: String)
    /// Lumen ships no weights for this model.
    case noBundledWeights(model: String)

    public var errorDescription: String? {
        switch self {
        case let .unknownKey(file, key, model):
            "\(file): unexpected key '\(key)' for \(model) (is this a checkpoint of another model?)"
        case let .incompatible(file, model, reason):
            "\(file): does not fit \(model): \(reason)"
        case let .unreadable(file, reason):
            "\(file): \(reason)"
        case let .invalidWeights(message):
            message
        case let .noBundledWeights(model):
            "Lumen ships no weights for \(model) yet: give --weights FILE (Lumen safetensors or an official checkpoint)"
        }
    }
}
