/// The few Python calls a state dictionary makes, interpreted by hand, and the
/// persistent ids that stand for storages.
extension PickleMachine {
    /// The allow-listed global `module.name`.
    ///
    /// - Throws: ``CheckpointError/forbiddenGlobal(file:module:name:)`` for any other
    ///   global, ``CheckpointError/unsupportedStorageType(file:name:)`` for storage
    ///   types with no Float conversion.
    func allowedGlobal(module: String, name: String) throws(CheckpointError) -> PickleGlobal {
        if let global = PickleGlobal(module: module, name: name) { return global }
        if module == "torch", name.hasSuffix("Storage") { throw .unsupportedStorageType(file: file, name: "torch." + name) }
        throw .forbiddenGlobal(file: file, module: module, name: name)
    }

    /// The result of `REDUCE` (`callable(*arguments)`) or `NEWOBJ` (`cls.__new__(cls, *arguments)`).
    func call(_ callable: PickleValue, arguments: PickleValue) throws(CheckpointError) -> PickleValue {
        guard case .global(let global) = callable else { throw malformed("cannot call a \(callable.typeName)") }
        guard case .tuple(let tuple) = arguments else { throw malformed("arguments are a \(arguments.typeName), not a tuple") }
        let arguments = tuple.elements
        switch global {
        case .orderedDict:
            // The items follow as SETITEMS; PyTorch never passes them as arguments.
            guard arguments.isEmpty else { throw malformed("OrderedDict called with \(arguments.count) arguments") }
            return containers.dict()
        case .rebuildTensor:
            return .tensor(try tensorRecord(arguments))
        case .rebuildParameter:
            guard case .tensor? = arguments.first else { throw malformed("_rebuild_parameter without a tensor") }
            return arguments[0]
        case .storageType:
            throw malformed("cannot call \(global)")
        }
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
    /// backward_hooks[, metadata])`. Gradient flags, hooks and metadata do not
    /// affect the values, so they are ignored.
    private func tensorRecord(_ arguments: [PickleValue]) throws(CheckpointError) -> TorchTensorRecord {
        guard arguments.count >= 4, case .storage(let storage) = arguments[0] else {
            throw malformed("_rebuild_tensor_v2 needs a storage, an offset, a size and a stride")
        }
        let offset = try integer(arguments[1], "storage offset")
        let size = try integers(arguments[2], "size"), stride = try integers(arguments[3], "stride")
        guard size.count == stride.count else { throw malformed("size \(size) and stride \(stride) differ in rank") }
        return TorchTensorRecord(storage: storage, storageOffset: offset, size: size, stride: stride)
    }

    /// The storage a persistent id names: `('storage', storage_type, key, location,
    /// numel)`, plus `view_metadata` (`None` or `(view_key, offset, numel)`) in legacy files.
    /// The element count is not trusted: the stored bytes decide what exists.
    mutating func storageReference(_ id: PickleValue) throws(CheckpointError) -> TorchStorageReference {
        guard case .tuple(let tuple) = id, case let fields = tuple.elements, fields.count == 5 || fields.count == 6,
              case .string("storage") = fields[0] else {
            throw malformed("persistent id is not a ('storage', type, key, location, size) tuple")
        }
        guard case .global(.storageType(let type)) = fields[1] else {
            throw malformed("persistent id names \(fields[1].typeName), not a storage type")
        }
        let key = try storageKey(fields[2])
        if let known = storageTypes[key], known != type {
            throw malformed("storage \(key) is both torch.\(known.rawValue) and torch.\(type.rawValue)")
        }
        storageTypes[key] = type
        guard fields.count == 6, case .tuple(let viewTuple) = fields[5] else {
            return TorchStorageReference(key: key, type: type, viewOffset: 0, viewCount: nil)
        }
        let view = viewTuple.elements
        guard view.count == 3 else { throw malformed("view metadata is not a (key, offset, size) tuple") }
        return TorchStorageReference(key: key, type: type, viewOffset: try integer(view[1], "view offset"),
                                     viewCount: try integer(view[2], "view size"))
    }

    private func storageKey(_ value: PickleValue) throws(CheckpointError) -> String {
        switch value {
        case .string(let key): return key
        case .int(let key): return String(key)
        default: throw malformed("storage key is a \(value.typeName)")
        }
    }

    private func integer(_ value: PickleValue, _ role: String) throws(CheckpointError) -> Int {
        guard case .int(let integer) = value, integer >= 0 else { throw malformed("\(role) is not a non-negative int") }
        return integer
    }

    private func integers(_ value: PickleValue, _ role: String) throws(CheckpointError) -> [Int] {
        guard case .tuple(let tuple) = value else { throw malformed("\(role) is a \(value.typeName), not a tuple") }
        var integers: [Int] = []
        for element in tuple.elements { integers.append(try integer(element, role)) }
        return integers
    }
}
