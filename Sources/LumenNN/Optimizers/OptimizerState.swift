import LumenTensor

/// One per-parameter state field of an optimiser (`step`, `expAvg`, `momentumBuffer`).
struct StateField {
    /// The suffix after the parameter key.
    let name: String
    /// Whether the field is a rank-0 step count, a whole number in `0...2^24`,
    /// rather than a tensor of the parameter's shape.
    let isScalar: Bool
}

extension StateDict {
    /// Stores `values` (in `parameter`'s shape) under `<key>.<name>`.
    mutating func store(_ values: [Float], parameter: NamedParameter, name: String) {
        self["\(parameter.key).\(name)"] = Tensor(shape: parameter.tensor.shape, scalars: values)
    }

    /// Stores a step count under `<key>.<name>` as a rank-0 float, like PyTorch's
    /// float32 `step` tensors (exact up to 2²⁴ steps).
    mutating func store(stepCount: Int, parameter: NamedParameter, name: String) {
        self["\(parameter.key).\(name)"] = Tensor(Float(stepCount))
    }

    /// The saved fields of each parameter that has state, in `fields` order, after
    /// checking that every parameter's state is complete, every key belongs to a
    /// parameter, every shape matches, every value is finite and every step count
    /// a whole number that a Float holds exactly.
    func optimizerEntries(for parameters: [NamedParameter], fields: [StateField]) throws(StateDictError) -> [String: [Tensor]] {
        var entries: [String: [Tensor]] = [:]
        var missing: [String] = []
        var consumed = Set<String>()
        for parameter in parameters {
            let keys = fields.map { "\(parameter.key).\($0.name)" }
            let found = keys.map { self[$0] }
            if found.allSatisfy({ $0 == nil }) { continue }
            missing += zip(keys, found).filter { $0.1 == nil }.map(\.0)
            consumed.formUnion(keys)
            entries[parameter.key] = found.compactMap { $0 }
        }
        if !missing.isEmpty { throw .missingKeys(missing) }
        let unexpected = keys.filter { !consumed.contains($0) }
        if !unexpected.isEmpty { throw .unexpectedKeys(unexpected) }
        for parameter in parameters {
            guard let tensors = entries[parameter.key] else { continue }
            for (field, tensor) in zip(fields, tensors) {
                let expected = field.isScalar ? Shape([]) : parameter.tensor.shape
                let key = "\(parameter.key).\(field.name)"
                guard tensor.shape == expected else { throw .shapeMismatch(key: key, expected: expected, actual: tensor.shape) }
                try StateDict([(key: key, tensor: tensor)]).validateFinite()
                if field.isScalar {
                    let count = tensor.scalar
                    guard count >= 0, count <= Float(1 << 24), count.rounded() == count else {
                        throw .outOfRange(key: key, reason: "step count \(count) is not a whole number in 0...\(1 << 24)")
                    }
                }
            }
        }
        return entries
    }
}
