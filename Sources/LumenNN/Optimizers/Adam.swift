import LumenTensor

/// Adam (Kingma & Ba 2015), exactly PyTorch's `torch.optim.Adam` update
/// (`amsgrad=False`, `maximize=False`), weight decay as an L2 term.
///
/// Per element at step `t` (counted per parameter), with gradient `g`:
/// ```
/// g ← g + weightDecay·p
/// m ← β1·m + (1 − β1)·g          (computed as lerp(m, g, 1 − β1))
/// v ← β2·v + (1 − β2)·g²
/// p ← p − lr / (1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
/// ```
/// ε is added after the square root of the bias-corrected second moment.
/// State keys: `<key>.step`, `<key>.firstMoment` (`exp_avg`), `<key>.secondMoment` (`exp_avg_sq`).
public struct Adam: Optimizer {
    /// The parameter groups, with their learning rates and weight decays.
    public var groups: [ParameterGroup]
    /// Decay rate β1 of the first moment.
    public var beta1: Float
    /// Decay rate β2 of the second moment.
    public var beta2: Float
    /// ε, added to the denominator for stability.
    public var epsilon: Float
    private var moments = AdamMoments()

    /// Creates the optimiser over `groups`.
    public init(groups: [ParameterGroup], beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        validateUniqueKeys(groups)
        self.groups = groups
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// Creates the optimiser over one group, e.g. `Adam(parameters: model.parameters(), learningRate: 1e-3)`.
    public init(parameters: [(key: String, tensor: Tensor)], learningRate: Float = 1e-3, beta1: Float = 0.9,
                beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.init(groups: [ParameterGroup(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)],
                  beta1: beta1, beta2: beta2, epsilon: epsilon)
    }

    /// Applies one update, as above, to every parameter that has a gradient.
    public mutating func step() {
        moments.step(groups, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: .l2)
    }

    /// The step counts and moments of every parameter updated so far.
    public func state() -> StateDict { moments.state(of: allParameters) }

    /// Replaces the step counts and moments by a saved ``state()``.
    public mutating func load(state: StateDict) throws(StateDictError) {
        try moments.load(state, parameters: allParameters)
    }
}
