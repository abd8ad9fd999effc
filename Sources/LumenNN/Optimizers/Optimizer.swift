import LumenTensor

/// A trainable tensor with its key (`conv1.weight`); the key names its state in
/// ``Optimizer/state()``.
public struct NamedParameter: Sendable {
    /// The parameter's key, unique within an optimiser.
    public let key: String
    /// The parameter, updated in place by ``Optimizer/step()``.
    public let tensor: Tensor

    /// Pairs `tensor` with `key`.
    public init(key: String, tensor: Tensor) {
        self.key = key
        self.tensor = tensor
    }
}

/// Parameters that share a learning rate and weight decay (PyTorch's `param_groups`).
/// A schedule sets ``learningRate`` between steps.
public struct ParameterGroup: Sendable {
    /// The parameters of this group.
    public var parameters: [NamedParameter]
    /// Step size `lr`.
    public var learningRate: Float
    /// Weight-decay coefficient; its meaning (L2 term or decoupled decay) is the optimiser's.
    public var weightDecay: Float

    /// Creates a group from `(key, tensor)` pairs such as ``Module/parameters()`` returns.
    public init(parameters: [(key: String, tensor: Tensor)], learningRate: Float, weightDecay: Float = 0) {
        self.parameters = parameters.map { NamedParameter(key: $0.key, tensor: $0.tensor) }
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }
}

/// A first-order optimiser that updates parameters in place from their gradients.
///
/// ```swift
/// var optimizer = Adam(parameters: model.parameters(), learningRate: 1e-3)
/// optimizer.zeroGradients()
/// loss(model(x)).backward()
/// optimizer.step()
/// ```
///
/// Optimisers are values: their per-parameter state (moments, step counts) is
/// held in arrays, so a copy evolves independently, while the parameters are
/// shared tensors. Updates write the parameters' storage directly and record
/// nothing on the autograd tape.
public protocol Optimizer: Sendable {
    /// The parameter groups; parameter keys must be unique across groups.
    var groups: [ParameterGroup] { get set }

    /// Updates every parameter that has a gradient; parameters without one (and
    /// their state) are left untouched, as in PyTorch.
    mutating func step()

    /// Clears the gradient of every parameter (PyTorch's `zero_grad(set_to_none=True)`).
    func zeroGradients()

    /// A snapshot of the per-parameter state, keyed `<parameter key>.<field>`
    /// (`conv.weight.expAvg`), for exact resumption of training.
    func state() -> StateDict

    /// Replaces the per-parameter state by `state`, as saved by ``state()``;
    /// parameters absent from `state` start fresh.
    /// - Throws: ``StateDictError`` naming a key of a parameter whose state is
    ///   incomplete, a key that belongs to no parameter, or a tensor of the wrong shape.
    mutating func load(state: StateDict) throws(StateDictError)
}

extension Optimizer {
    /// Clears the gradient of every parameter of every group.
    public func zeroGradients() {
        for group in groups {
            for parameter in group.parameters { parameter.tensor.zeroGradient() }
        }
    }

    /// Every parameter of every group, in order.
    var allParameters: [NamedParameter] { groups.flatMap(\.parameters) }
}

/// Checks that no parameter key appears twice across `groups`.
func validateUniqueKeys(_ groups: [ParameterGroup]) {
    var seen = Set<String>()
    for parameter in groups.flatMap(\.parameters) {
        precondition(seen.insert(parameter.key).inserted, "parameter key \(parameter.key) appears twice in an optimiser")
    }
}
