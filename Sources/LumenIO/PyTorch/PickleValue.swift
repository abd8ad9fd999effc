/// A value built by ``PickleMachine``: the few Python objects that tensor state
/// dictionaries are made of. None of them can run code.
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
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
}

/// A Python list under construction (`EMPTY_LIST`, then `APPEND`/`APPENDS`).
final class PickleList {
    var elements: [PickleValue] = []
}

/// A Python dict or `OrderedDict`, in insertion order. A repeated key is kept
/// twice; readers take the last one, as Python's assignment would.
final class PickleDict {
    var entries: [(key: PickleValue, value: PickleValue)] = []
}
