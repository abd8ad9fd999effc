/// A recorded operation: its inputs and the rule mapping the output's gradient to
/// the inputs' gradients.
final class Node {
    let op: DifferentiableOp
    let inputs: [Tensor]
    /// Returns one gradient per input (same shape), `nil` where an input needs none.
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

    /// Whether operations executed now record their backward rules.
    public static var isEnabled: Bool { isRecording }
}

/// Runs `body` without recording gradients: for inference, and for optimiser
/// updates. Tensors created inside have `requiresGradient == false`.
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try GradientMode.$isRecording.withValue(false, operation: body)
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
        return self
    }

    /// Back-propagates from this tensor, accumulating into the `gradient` of every
    /// leaf that requires one, then frees the graph.
    ///
    /// - Parameter seed: the gradient of the final objective with respect to this
    ///   tensor; defaults to ones (the usual case: a scalar loss).
    public func backward(seed: Tensor? = nil) {
        precondition(requiresGradient, "backward() on a tensor that does not require gradients")
        let seed = seed ?? Tensor(repeating: 1, shape: shape)
        precondition(seed.shape == shape, "backward seed \(seed.shape) for tensor \(shape)")

        let order = topologicalOrder()
        var gradients: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        withoutGradients {
            for tensor in order.reversed() {
                guard let gradient = gradients.removeValue(forKey: ObjectIdentifier(tensor)) else { continue }
                guard let node = tensor.node else {
                    precondition(!tensor.isIntermediate, "backward through a graph that was already freed")
                    tensor.gradient = tensor.gradient.map { $0 + gradient } ?? gradient
                    continue
                }
                let inputGradients = node.backward(gradient)
                precondition(inputGradients.count == node.inputs.count, "\(node.op): wrong number of gradients")
                for (input, inputGradient) in zip(node.inputs, inputGradients) where input.requiresGradient {
                    guard let inputGradient else { continue }
                    precondition(inputGradient.shape == input.shape,
                                 "\(node.op): gradient \(inputGradient.shape) for input \(input.shape)")
                    let key = ObjectIdentifier(input)
                    gradients[key] = gradients[key].map { $0 + inputGradient } ?? inputGradient
                }
                tensor.node = nil
            }
        }
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
