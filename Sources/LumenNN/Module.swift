import LumenTensor

/// Base class of every layer and model.
///
/// Parameters are discovered by reflection over stored properties of type
/// `Tensor`, `Tensor?`, ``Buffer``, ``Module``, `Module?` and `[Module]`; a
/// property's name is its key, nested with dots (`block.conv.weight`, `layers.0.bias`).
/// Subclasses hold their parameters in `let` properties and are immutable after
/// loading, so a model can be shared across threads for inference; each subclass
/// restates `@unchecked Sendable` (Swift requires it of inherited unchecked conformances).
open class Module: @unchecked Sendable {
    /// Whether the module is in training mode (batch statistics, dropout).
    public private(set) var isTraining = true

    public init() {}

    /// Every trainable tensor with its key, in declaration order.
    public final func parameters() -> [(key: String, tensor: Tensor)] {
        var result: [(key: String, tensor: Tensor)] = []
        visit(prefix: "") { key, value in
            if let tensor = value as? Tensor { result.append((key, tensor)) }
        }
        return result
    }

    /// Every buffer (non-trainable saved state) with its key.
    public final func buffers() -> [(key: String, buffer: Buffer)] {
        var result: [(key: String, buffer: Buffer)] = []
        visit(prefix: "") { key, value in
            if let buffer = value as? Buffer { result.append((key, buffer)) }
        }
        return result
    }

    /// This module and every module below it, with keys (`""` for `self`).
    public final func modules() -> [(key: String, module: Module)] {
        var result: [(key: String, module: Module)] = [("", self)]
        visit(prefix: "") { key, value in
            if let module = value as? Module { result.append((key, module)) }
        }
        return result
    }

    /// Switches this module and all below it to training (`true`) or evaluation mode.
    public final func train(_ training: Bool = true) {
        for (_, module) in modules() { module.isTraining = training }
    }

    /// Switches to evaluation mode (running statistics in batch-norm).
    public final func eval() { train(false) }

    /// Makes every parameter whose key starts with one of `prefixes` stop (or,
    /// with `frozen: false`, start) receiving gradients.
    public final func freeze(keysWithPrefixes prefixes: [String], frozen: Bool = true) {
        for (key, tensor) in parameters() where prefixes.contains(where: { key.hasPrefix($0) }) {
            tensor.requiresGradient = !frozen
        }
    }

    /// Calls `body` for every reflected property below this module, depth first.
    private func visit(prefix: String, _ body: (String, Any) -> Void) {
        var mirror: Mirror? = Mirror(reflecting: self)
        var children: [(String, Any)] = []
        while let current = mirror {
            children.insert(contentsOf: current.children.compactMap { child in child.label.map { ($0, child.value) } }, at: 0)
            mirror = current.superclassMirror
        }
        for (label, value) in children {
            let key = prefix + label
            visitValue(key: key, value, body)
        }
    }

    private func visitValue(key: String, _ value: Any, _ body: (String, Any) -> Void) {
        switch value {
        case let tensor as Tensor:
            body(key, tensor)
        case let buffer as Buffer:
            body(key, buffer)
        case let module as Module:
            body(key, module)
            module.visit(prefix: key + ".", body)
        case let modules as [Module]:
            for (index, module) in modules.enumerated() {
                body("\(key).\(index)", module)
                module.visit(prefix: "\(key).\(index).", body)
            }
        default:
            // `Tensor?` and `Module?` properties: unwrap through reflection, since
            // casting any value to `Optional<Any>` succeeds and would recurse forever.
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional, let wrapped = mirror.children.first?.value {
                visitValue(key: key, wrapped, body)
            }
        }
    }
}
