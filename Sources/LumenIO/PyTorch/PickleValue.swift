/// A value built by ``PickleMachine``: the few Python objects that tensor state
/// dictionaries are made of. None of them can run code.
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple(PickleTuple)
    /// Lists and dicts are references, as in Python: the pickle memoises an empty
    /// container and fills it afterwards, and every memo reference must see the items.
    case list(PickleList)
    case dict(PickleDict)
    /// An allow-listed class or function, named but never called as Python would.
    case global(PickleGlobal)
    /// A storage named by a persistent id.
    case storage(TorchStorageReference)
    /// A tensor described by `_rebuild_tensor_v2`, gathered from its storage later.
    case tensor(TorchTensorRecord)

    /// The Python-like type name, for error messages.
    var typeName: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .tuple: "tuple"
        case .list: "list"
        case .dict: "dict"
        case .global(let global): "global \(global)"
        case .storage: "storage"
        case .tensor: "tensor"
        }
    }

    /// How many containers deep the value reaches, as far as ``PickleContainer/depth`` knows.
    var depth: Int {
        switch self {
        case .tuple(let tuple): tuple.depth
        case .list(let list): list.depth
        case .dict(let dict): dict.depth
        default: 0
        }
    }
}

/// A tuple, list or dict of pickle values, and how deep it nests.
///
/// A hostile pickle can nest 60,000 lists in 120 KB; freeing such a chain one
/// container inside another overflows the stack. ``PickleMachine`` refuses nesting
/// deeper than ``PickleMachine/maximumDepth`` as values are put in, which bounds
/// tuples exactly (they are immutable). Lists and dicts can still nest deeper than
/// they were counted (memoised empty, placed in another container, filled later),
/// and can even hold themselves, so they are never freed from inside one another:
/// ``PickleContainers`` owns them all and empties them together, iteratively.
class PickleContainer {
    /// Nesting depth: 1 + the deepest value put in, at the time it was put in.
    fileprivate(set) var depth = 1

    /// Records that `value` was put in; returns the new depth.
    fileprivate func deepen(by value: PickleValue) -> Int {
        depth = max(depth, value.depth + 1)
        return depth
    }
}

/// A Python tuple: immutable once built.
final class PickleTuple: PickleContainer {
    let elements: [PickleValue]

    init(_ elements: [PickleValue]) {
        self.elements = elements
        super.init()
        depth = 1 + (elements.map(\.depth).max() ?? 0)
    }
}

/// A Python list under construction (`EMPTY_LIST`, then `APPEND`/`APPENDS`).
final class PickleList: PickleContainer {
    private(set) var elements: [PickleValue] = []

    /// Appends `value`; returns the list's new depth.
    func append(_ value: PickleValue) -> Int {
        elements.append(value)
        return deepen(by: value)
    }

    /// Drops every element (``PickleContainers/release()``).
    func removeAll() { elements = [] }
}

/// A Python dict or `OrderedDict`, in insertion order. A repeated key is kept
/// twice; readers take the last one, as Python's assignment would.
final class PickleDict: PickleContainer {
    private(set) var entries: [(key: PickleValue, value: PickleValue)] = []

    /// Adds an entry; returns the dict's new depth.
    func append(key: PickleValue, value: PickleValue) -> Int {
        entries.append((key, value))
        return max(deepen(by: key), deepen(by: value))
    }

    /// Drops every entry (``PickleContainers/release()``).
    func removeAll() { entries = [] }
}
