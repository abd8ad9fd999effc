/// The Python globals a checkpoint may name. Everything else is refused when the
/// `GLOBAL` opcode is read, before any later opcode could use it: an arbitrary
/// global is how a pickle runs code (`os.system`), and no state dictionary needs one.
enum PickleGlobal: Equatable, CustomStringConvertible {
    /// `collections.OrderedDict`, the type of every `state_dict()`.
    case orderedDict
    /// `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])`.
    case rebuildTensor
    /// `torch._utils._rebuild_parameter(data, requires_grad, hooks)`, wrapping `nn.Parameter`s.
    case rebuildParameter
    /// `torch.FloatStorage` and friends, the storage type named in each persistent id.
    case storageType(TorchStorageType)

    /// The allowed global `module.name`, or `nil` if it is not allowed.
    init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensor
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("torch", _):
            guard let type = TorchStorageType(rawValue: name) else { return nil }
            self = .storageType(type)
        default: return nil
        }
    }

    var description: String {
        switch self {
        case .orderedDict: "collections.OrderedDict"
        case .rebuildTensor: "torch._utils._rebuild_tensor_v2"
        case .rebuildParameter: "torch._utils._rebuild_parameter"
        case .storageType(let type): "torch.\(type.rawValue)"
        }
    }
}
