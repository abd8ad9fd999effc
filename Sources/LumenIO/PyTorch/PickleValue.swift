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

/// A tuple, list or dict of pickle values.
///
/// Containers release their values iteratively (``releaseIteratively(_:)``): a
/// hostile pickle can nest 60,000 lists in 120 KB, and the default recursive
/// teardown of such a chain overflows the stack. ``PickleMachine`` also refuses
/// nesting deeper than ``PickleMachine/maximumDepth``, but a list memoised empty and
/// filled after being placed in another container can deepen its parents unseen, so
/// the teardown must not recurse whatever the depth.
///
/// Each subclass's `deinit` hands its values to ``releaseIteratively(_:)``.
class PickleContainer {
    /// Nesting depth: 1 + the deepest value put in, at the time it was put in.
    fileprivate(set) var depth = 1

    /// Moves the values out, leaving the container empty.
    fileprivate func takeValues() -> [PickleValue] { [] }

    /// Records that `value` was put in; returns the new depth.
    fileprivate func deepen(by value: PickleValue) -> Int {
        depth = max(depth, value.depth + 1)
        return depth
    }

    /// Releases `values` with a work list instead of recursion: a container of
    /// which this is the last reference is emptied into the list before it is
    /// released, so its own `deinit` has nothing left to release.
    /// `pending` is taken `inout` so that the work list owns its values alone: a
    /// copy would keep a second reference to every child until it returned.
    static func releaseIteratively(_ pending: inout [PickleValue]) {
        while var value = pending.popLast() {
            if var container = value.takeContainer(), isKnownUniquelyReferenced(&container) {
                pending.append(contentsOf: container.takeValues())
            }
        }
    }
}

extension PickleValue {
    /// The container this value holds, moved out (the value becomes `None`), so
    /// that the caller's reference is the value's only one: pattern bindings keep
    /// a second reference alive, which defeats `isKnownUniquelyReferenced`.
    fileprivate mutating func takeContainer() -> PickleContainer? {
        switch self {
        case .tuple(let tuple): self = .none; return tuple
        case .list(let list): self = .none; return list
        case .dict(let dict): self = .none; return dict
        default: return nil
        }
    }
}

/// A Python tuple: immutable once built.
final class PickleTuple: PickleContainer {
    private(set) var elements: [PickleValue]

    init(_ elements: [PickleValue]) {
        self.elements = elements
        super.init()
        depth = 1 + (elements.map(\.depth).max() ?? 0)
    }

    deinit {
        var values = takeValues()
        Self.releaseIteratively(&values)
    }

    override fileprivate func takeValues() -> [PickleValue] {
        var taken: [PickleValue] = []
        swap(&taken, &elements)
        return taken
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

    deinit {
        var values = takeValues()
        Self.releaseIteratively(&values)
    }

    override fileprivate func takeValues() -> [PickleValue] {
        var taken: [PickleValue] = []
        swap(&taken, &elements)
        return taken
    }
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

    deinit {
        var values = takeValues()
        Self.releaseIteratively(&values)
    }

    override fileprivate func takeValues() -> [PickleValue] {
        var taken: [(key: PickleValue, value: PickleValue)] = []
        swap(&taken, &entries)
        var values: [PickleValue] = []
        values.reserveCapacity(2 * taken.count)
        for (key, value) in consume taken { values.append(key); values.append(value) }
        return values
    }
}
