import Foundation
import LumenTensor

/// Named tensors in insertion order: a module's weights and buffers
/// (``Module/stateDict()``) or an optimiser's moments (``Optimizer/state()``), the
/// unit saved to and loaded from checkpoints (PyTorch's `state_dict`).
///
/// ```swift
/// var state = StateDict()
/// state["conv.weight"] = weight
/// for (key, tensor) in state { print(key, tensor.shape) }
/// ```
public struct StateDict: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// The keys in insertion order.
    public private(set) var keys: [String] = []
    private var tensors: [String: Tensor] = [:]

    /// Creates an empty state dictionary.
    public init() {}

    /// Creates a state dictionary from `entries`, in their order; a repeated key
    /// keeps its first position and its last tensor.
    public init(_ entries: some Sequence<(key: String, tensor: Tensor)>) {
        for (key, tensor) in entries { self[key] = tensor }
    }

    /// Creates a state dictionary from a literal, in the literal's order.
    public init(dictionaryLiteral elements: (String, Tensor)...) {
        self.init(elements.map { (key: $0.0, tensor: $0.1) })
    }

    /// The number of entries.
    public var count: Int { keys.count }

    /// Whether there are no entries.
    public var isEmpty: Bool { keys.isEmpty }

    /// The tensor stored under `key`; assigning `nil` removes the entry, assigning
    /// to a new key appends it.
    public subscript(key: String) -> Tensor? {
        get { tensors[key] }
        set {
            if let newValue {
                if tensors.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if tensors.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Checks that every tensor holds finite numbers only.
    /// - Throws: ``StateDictError/nonFinite(key:index:value:)`` for the first NaN or infinity, by key order.
    public func validateFinite() throws(StateDictError) {
        for (key, tensor) in self {
            let scalars = tensor.scalars
            if let index = scalars.firstIndex(where: { !$0.isFinite }) {
                throw .nonFinite(key: key, index: index, value: scalars[index])
            }
        }
    }

    /// Iterates over `(key, tensor)` pairs in insertion order.
    public func makeIterator() -> some IteratorProtocol<(key: String, tensor: Tensor)> {
        keys.lazy.map { (key: $0, tensor: self.tensors[$0]!) }.makeIterator()
    }
}

/// Why a state dictionary could not be loaded into a module or an optimiser.
public enum StateDictError: Error, LocalizedError, Equatable, Sendable {
    /// Keys the receiver needs that the state dictionary lacks.
    case missingKeys([String])
    /// Keys in the state dictionary that the receiver has no place for.
    case unexpectedKeys([String])
    /// A tensor whose shape differs from the receiver's.
    case shapeMismatch(key: String, expected: Shape, actual: Shape)
    /// A tensor holding NaN or an infinity at element `index`: such weights turn every output black.
    case nonFinite(key: String, index: Int, value: Float)
    /// A value outside what the key can hold, such as a negative or fractional step count.
    case outOfRange(key: String, reason: String)

    /// A message naming the keys, e.g.
    /// `"conv1.weight: expected shape [32, 3, 3, 3], checkpoint has [32, 3, 5, 5]"`.
    public var errorDescription: String? {
        switch self {
        case .missingKeys(let keys):
            "missing keys in checkpoint: \(keys.joined(separator: ", "))"
        case .unexpectedKeys(let keys):
            "unexpected keys in checkpoint: \(keys.joined(separator: ", "))"
        case .shapeMismatch(let key, let expected, let actual):
            "\(key): expected shape \(expected), checkpoint has \(actual)"
        case .nonFinite(let key, let index, let value):
            "\(key): element \(index) is \(value), not a finite number"
        case .outOfRange(let key, let reason):
            "\(key): \(reason)"
        }
    }
}
