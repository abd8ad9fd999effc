/// A recorded operation: its inputs and the rule mapping the output's gradient to
/// the inputs' gradients.
final class Node {
    let op: DifferentiableOp
    let inputs: [Tensor]
    /// Returns one gradient per input (same shape), `nil` where an input needs none.
    ///
    /// Rules ask ``Tensor/needsGradient`` rather than `requiresGradient`, so that
    /// ``gradients(of:withRespectTo:seed:createGraph:)`` computes only what leads to
    /// the tensors it was asked about. When the backward pass itself is recorded
    /// (`createGraph`), rules run with recording on and must build their results
    /// from recorded operations (``DifferentiableOp/hasDifferentiableBackward``).
    let backward: (Tensor) -> [Tensor?]

    init(op: DifferentiableOp, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
        self.op = op
        self.inputs = inputs
        self.backward = backward
    }
}

/// Whether operations record the autograd graph on the current task or thread.
public enum GradientMode {
    @TaskLocal static var isRecording = true
    /// During a backward pass for chosen tensors: the tensors that lead to them.
    @TaskLocal static var needed: Set<ObjectIdentifier>? = nil

    /// Whether operations executed now record their backward rules; inside a
    /// backward rule, whether that pass is itself being recorded.
    public static var isEnabled: Bool { isRecording }
}

/// Runs `body` without recording gradients: for inference, and for optimiser
/// updates. Tensors created inside have `requiresGradient == false`.
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try GradientMode.$isRecording.withValue(false, operation: body)
}

/// The gradients of `output` with respect to `inputs`, as PyTorch's
/// `torch.autograd.grad`: leaves' ``Tensor/gradient`` is left untouched.
///
/// With `createGraph`, the backward pass is itself recorded, so the gradients can
/// be differentiated again (WGAN-GP's penalty on a critic's input gradient); the
/// forward graph is then kept for that second pass. Without it, the part of the
/// graph that was traversed is freed, like ``Tensor/backward(seed:)``.
///
/// ```swift
/// let mixed = (eps * real + (1 - eps) * fake).requiringGradient()
/// let slope = gradients(of: critic(mixed).sum(), withRespectTo: [mixed], createGraph: true)[0]
/// let penalty = ((slope.squared().sum(axes: [1, 2, 3]) + 1e-12).sqrt() - 1).squared().mean()
/// ```
/// - Parameters:
///   - output: the tensor to differentiate, usually a scalar.
///   - inputs: tensors `output` depends on (leaves or intermediates).
///   - seed: the gradient of an outer objective with respect to `output`; ones by default.
///   - createGraph: whether the returned gradients are recorded for differentiation.
/// - Returns: one gradient per input, zeros where `output` does not depend on it.
public func gradients(of output: Tensor, withRespectTo inputs: [Tensor], seed: Tensor? = nil,
                      createGraph: Bool = false) -> [Tensor] {
    precondition(output.requiresGradient, "gradients(of:) of a tensor that does not require gradients")
    let found = output.propagate(seed: seed, targets: Set(inputs.map(ObjectIdentifier.init)), createGraph: createGraph)
    return inputs.map { found[ObjectIdentifier($0)] ?? Tensor(zeros: $0.shape) }
}

extension Tensor {
    /// Attaches a backward rule to a freshly computed output, when gradients are
    /// being recorded and some input requires them. Returns `self`.
    ///
    /// Rules must not capture the output strongly (use `[unowned self]` style
    /// captures via a local), since the output owns its node.
    func recorded(_ op: DifferentiableOp, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        guard GradientMode.isRecording, inputs.contains(where: \.requiresGradient) else { return self }
        requiresGradient = true
        isIntermediate = true
        node = Node(op: op, inputs: inputs, backward: backward)
        if MixedPrecision.isActive {
            for input in inputs { input.storeForBackward() }
            if op.mixedPrecisionOutput == .bfloat16 && inputs[1].requiresGradient
                || op.mixedPrecisionOutput == .asInputs && inputs.allSatisfy(\.storage.holdsBFloat16Values) {
                storage.storeAsBFloat16()
            }
        }
        return self
    }

    /// Under bfloat16 mixed precision, once an op has read this tensor: a result
    /// stored as bfloat16 gives up its decoded float copy again; a leaf (a parameter,
    /// the batch) is pinned to float32, with any view that shares its storage.
    func storeForBackward() {
        if isIntermediate { storage.releaseDecodedCopy() } else { storage.pin() }
    }

    /// Whether the backward pass running now needs this tensor's gradient: it
    /// requires one and, when gradients for chosen tensors are asked for, leads to one.
    var needsGradient: Bool {
        requiresGradient && (GradientMode.needed?.contains(ObjectIdentifier(self)) ?? true)
    }

    /// A tensor with the same values that is a leaf requiring gradients (the point
    /// at which ``gradients(of:withRespectTo:seed:createGraph:)`` differentiates).
    public func requiringGradient() -> Tensor {
        let leaf = detached()
        leaf.requiresGradient = true
        return leaf
    }

    /// Back-propagates from this tensor, accumulating into the `gradient` of every
    /// leaf that requires one, then frees the graph.
    ///
    /// - Parameter seed: the gradient of the final objective with respect to this
    ///   tensor; defaults to ones (the usual case: a scalar loss).
    public func backward(seed: Tensor? = nil) {
        precondition(requiresGradient, "backward() on a tensor that does not require gradients")
        _ = propagate(seed: seed, targets: nil, createGraph: false)
    }

    /// The reverse pass shared by ``backward(seed:)`` (`targets == nil`: gradients
    /// accumulate into leaves) and ``gradients(of:withRespectTo:seed:createGraph:)``
    /// (gradients of `targets` are returned, nothing else is computed).
    fileprivate func propagate(seed: Tensor?, targets: Set<ObjectIdentifier>?, createGraph: Bool) -> [ObjectIdentifier: Tensor] {
        let seed = seed ?? Tensor(repeating: 1, shape: shape)
        precondition(seed.shape == shape, "backward seed \(seed.shape) for tensor \(shape)")

        let order = topologicalOrder()
        let needed = targets.map { targets in
            var needed = Set<ObjectIdentifier>()
            for tensor in order where targets.contains(ObjectIdentifier(tensor))
                || tensor.node?.inputs.contains(where: { needed.contains(ObjectIdentifier($0)) }) == true {
                needed.insert(ObjectIdentifier(tensor))
            }
            return needed
        }
        var found: [ObjectIdentifier: Tensor] = [:]
        var gradients: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        GradientMode.$needed.withValue(needed) {
            GradientMode.$isRecording.withValue(createGraph) {
                for tensor in order.reversed() {
                    let key = ObjectIdentifier(tensor)
                    guard let gradient = gradients.removeValue(forKey: key) else { continue }
                    if let targets {
                        guard needed?.contains(key) == true else { continue }
                        if targets.contains(key) { found[key] = gradient }
                    }
                    guard let node = tensor.node else {
                        precondition(!tensor.isIntermediate || targets?.contains(key) == true,
                                     "backward through a graph that was already freed")
                        if targets == nil { tensor.gradient = tensor.gradient.map { $0 + gradient } ?? gradient }
                        continue
                    }
                    precondition(!createGraph || node.op.hasDifferentiableBackward,
                                 "createGraph through \(node.op), whose backward rule is not differentiable")
                    let inputGradients = node.backward(gradient)
                    // The rule decoded what it read; store it as bfloat16 again.
                    if MixedPrecision.isActive { for read in [tensor] + node.inputs { read.storeForBackward() } }
                    precondition(inputGradients.count == node.inputs.count, "\(node.op): wrong number of gradients")
                    for (input, inputGradient) in zip(node.inputs, inputGradients) where input.needsGradient {
                        guard let inputGradient else { continue }
                        precondition(inputGradient.shape == input.shape,
                                     "\(node.op): gradient \(inputGradient.shape) for input \(input.shape)")
                        let inputKey = ObjectIdentifier(input)
                        gradients[inputKey] = gradients[inputKey].map { $0 + inputGradient } ?? inputGradient
                    }
                    if !createGraph { tensor.node = nil }
                }
            }
        }
        return found
    }

    /// Tensors reachable from `self` through recorded nodes, inputs before outputs.
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(tensor: Tensor, expanded: Bool)] = [(self, false)]
        while let (tensor, expanded) = stack.popLast() {
            if expanded { order.append(tensor); continue }
            guard visited.insert(ObjectIdentifier(tensor)).inserted else { continue }
            stack.append((tensor, true))
            for input in tensor.node?.inputs ?? [] where input.requiresGradient && !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }
}
