import LumenTensor

/// Stochastic gradient descent with momentum, as PyTorch's `torch.optim.SGD`
/// (single-tensor implementation).
///
/// Per element, with gradient `g`, parameter `p` and momentum buffer `b`:
/// ```
/// g ← g + weightDecay·p                                 (if weightDecay ≠ 0)
/// b ← g on the first step, else momentum·b + (1 − dampening)·g   (if momentum ≠ 0)
/// g ← g + momentum·b if nesterov, else b                (if momentum ≠ 0)
/// p ← p − lr·g
/// ```
public struct SGD: Optimizer {
    /// The parameter groups, with their learning rates and weight decays.
    public var groups: [ParameterGroup]
    /// Momentum factor μ; `0` disables the buffer.
    public var momentum: Float
    /// Dampening τ applied to new gradients in the buffer (after the first step).
    public var dampening: Float
    /// Whether to use Nesterov momentum (requires `momentum > 0`, `dampening == 0`).
    public var nesterov: Bool
    /// Momentum buffers by parameter key, created on a parameter's first update.
    private var buffers: [String: [Float]] = [:]

    /// Creates the optimiser over `groups`.
    public init(groups: [ParameterGroup], momentum: Float = 0, dampening: Float = 0, nesterov: Bool = false) {
        precondition(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum needs momentum > 0 and zero dampening")
        validateUniqueKeys(groups)
        self.groups = groups
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
    }

    /// Creates the optimiser over one group, e.g. `SGD(parameters: model.parameters(), learningRate: 0.01)`.
    public init(parameters: [(key: String, tensor: Tensor)], learningRate: Float, momentum: Float = 0,
                dampening: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        self.init(groups: [ParameterGroup(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)],
                  momentum: momentum, dampening: dampening, nesterov: nesterov)
    }

    /// Applies one update, as above, to every parameter that has a gradient.
    public mutating func step() {
        for group in groups {
            for parameter in group.parameters {
                guard let gradient = parameter.tensor.gradient else { continue }
                let stored = buffers.removeValue(forKey: parameter.key)
                var buffer = stored ?? [Float](repeating: 0, count: momentum != 0 ? gradient.scalarCount : 0)
                update(parameter.tensor, gradient: gradient, buffer: &buffer, isFirstStep: stored == nil,
                       learningRate: group.learningRate, weightDecay: group.weightDecay)
                if momentum != 0 { buffers[parameter.key] = buffer }
            }
        }
    }

    /// Applies one update to `parameter`; `buffer` is empty when momentum is off.
    private func update(_ parameter: Tensor, gradient: Tensor, buffer: inout [Float], isFirstStep: Bool,
                        learningRate: Float, weightDecay: Float) {
        let momentum = momentum, nesterov = nesterov
        // PyTorch computes `1 - dampening` in double, then rounds it to float.
        let keep = Float(1 - Double(dampening))
        parameter.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { grad in
                buffer.withUnsafeMutableBufferPointer { b in
                    for i in p.indices {
                        var g = grad[i]
                        if weightDecay != 0 { g += weightDecay * p[i] }
                        if momentum != 0 {
                            b[i] = isFirstStep ? g : b[i] * momentum + keep * g
                            g = nesterov ? g + momentum * b[i] : b[i]
                        }
                        p[i] += -learningRate * g
                    }
                }
            }
        }
    }

    /// The momentum buffers, keyed `<parameter key>.momentumBuffer`.
    public func state() -> StateDict {
        var state = StateDict()
        for parameter in allParameters {
            if let buffer = buffers[parameter.key] { state.store(buffer, parameter: parameter, name: "momentumBuffer") }
        }
        return state
    }

    /// Replaces the momentum buffers by a saved ``state()``.
    public mutating func load(state: StateDict) throws(StateDictError) {
        let entries = try state.optimizerEntries(for: allParameters, fields: [StateField(name: "momentumBuffer", isScalar: false)])
        buffers = entries.mapValues { $0[0].scalars }
    }
}
