import LumenTensor

extension Module {
    /// Every parameter and buffer by key: parameters first, then buffers, each in
    /// declaration order (`conv.weight`, `conv.bias`, ..., `norm.runningMean`).
    ///
    /// The tensors share storage with the module (like PyTorch's `state_dict()`),
    /// so later in-place updates show through; `copied()` them for a snapshot.
    public final func stateDict() -> StateDict {
        StateDict(parameters().map { (key: $0.key, tensor: $0.tensor.detached()) }
            + buffers().map { (key: $0.key, tensor: $0.buffer.value.detached()) })
    }

    /// Copies the values of `state` into this module's parameters and buffers in place.
    ///
    /// Everything is validated before anything is copied, so a failed load leaves
    /// the module unchanged.
    /// - Parameters:
    ///   - state: tensors keyed as in ``stateDict()``.
    ///   - strict: when `true`, every key of the module must be in `state` and
    ///     every key of `state` must belong to the module; when `false`, such keys
    ///     are skipped. Shapes must match either way, as in PyTorch's `load_state_dict`.
    /// - Throws: ``StateDictError/missingKeys(_:)``, ``StateDictError/unexpectedKeys(_:)``
    ///   (strict only) or ``StateDictError/shapeMismatch(key:expected:actual:)``.
    public final func load(_ state: StateDict, strict: Bool = true) throws(StateDictError) {
        let targets = stateDict()
        if strict {
            let missing = targets.keys.filter { state[$0] == nil }
            if !missing.isEmpty { throw .missingKeys(missing) }
            let unexpected = state.keys.filter { targets[$0] == nil }
            if !unexpected.isEmpty { throw .unexpectedKeys(unexpected) }
        }
        var pairs: [(key: String, target: Tensor, source: Tensor)] = []
        for (key, target) in targets {
            guard let source = state[key] else { continue }
            guard source.shape == target.shape else {
                throw .shapeMismatch(key: key, expected: target.shape, actual: source.shape)
            }
            pairs.append((key, target, source))
        }
        try StateDict(pairs.map { (key: $0.key, tensor: $0.source) }).validateFinite()
        for (_, target, source) in pairs { target.assign(source) }
    }
}
