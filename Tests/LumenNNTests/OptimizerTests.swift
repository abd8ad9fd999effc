import LumenNN
import LumenTensor
import Testing

/// An optimiser configuration on the quadratic problem, with its expected trajectory.
enum OptimizerCase: String, CaseIterable, Sendable {
    case sgdMomentum, sgdNesterov, adam, adamW

    func make(_ w: Tensor) -> any Optimizer {
        let parameters = [(key: "w", tensor: w)]
        return switch self {
        case .sgdMomentum: SGD(parameters: parameters, learningRate: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.05)
        case .sgdNesterov: SGD(parameters: parameters, learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.05)
        case .adam: Adam(parameters: parameters, learningRate: 0.1, weightDecay: 0.1)
        case .adamW: AdamW(parameters: parameters, learningRate: 0.1, weightDecay: 0.1)
        }
    }

    func reference(steps: Int) -> [[Double]] {
        switch self {
        case .sgdMomentum:
            Quadratic.sgd(steps: steps, learningRate: 0.1, momentum: 0.9, dampening: 0.1, nesterov: false, weightDecay: 0.05)
        case .sgdNesterov:
            Quadratic.sgd(steps: steps, learningRate: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0.05)
        case .adam:
            Quadratic.adam(steps: steps, learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1, decoupled: false)
        case .adamW:
            Quadratic.adam(steps: steps, learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1, decoupled: true)
        }
    }

    /// The weights after steps 1 and 2, computed separately with NumPy (float64)
    /// from the same published equations.
    var firstTwoSteps: [[Double]] {
        switch self {
        case .sgdMomentum: [[0.895, -1.39, 0.1975], [0.7253725, -0.404545, -0.29118875]]
        case .sgdNesterov: [[0.8005, -0.841, -0.07475], [0.59365525, 0.3606695, -0.670659875]]
        case .adam: [[0.9000000009090909, -1.9000000001612904, 0.40000000032786887],
                     [0.8010993763367427, -1.8001046314745233, 0.30024925402118996]]
        case .adamW: [[0.890000001, -1.8800000001666666, 0.3950000003333333],
                      [0.7824947390555377, -1.7613271883119548, 0.29130466833734203]]
        }
    }
}

/// Runs `steps` steps on the quadratic problem and returns the weights after each.
func optimize(_ optimizer: inout any Optimizer, _ w: Tensor, steps: Int) -> [[Float]] {
    let target = Tensor(shape: [3], scalars: Quadratic.target.map(Float.init))
    var trajectory: [[Float]] = []
    for _ in 0..<steps {
        optimizer.zeroGradients()
        let difference = w - target
        (difference * difference).sum().backward()
        optimizer.step()
        trajectory.append(w.scalars)
    }
    return trajectory
}

func startingWeights() -> Tensor {
    Tensor(shape: [3], scalars: Quadratic.start.map(Float.init), requiresGradient: true)
}

@Suite struct OptimizerTests {
    @Test(arguments: OptimizerCase.allCases)
    func matchesPublishedEquations(_ kind: OptimizerCase) {
        let w = startingWeights()
        var optimizer = kind.make(w)
        let trajectory = optimize(&optimizer, w, steps: 6)
        let reference = kind.reference(steps: 6)
        for (step, expected) in kind.firstTwoSteps.enumerated() {
            #expect(zip(reference[step], expected).allSatisfy { Swift.abs($0 - $1) < 1e-12 }, "step \(step + 1)")
            expectClose(trajectory[step], expected, tolerance: 2e-6)
        }
        for (actual, expected) in zip(trajectory, reference) { expectClose(actual, expected, tolerance: 2e-6) }
    }

    @Test(arguments: OptimizerCase.allCases)
    func resumingFromSavedStateIsBitExact(_ kind: OptimizerCase) throws {
        let uninterrupted = startingWeights()
        var optimizer = kind.make(uninterrupted)
        let expected = optimize(&optimizer, uninterrupted, steps: 5)

        let first = startingWeights()
        var before = kind.make(first)
        _ = optimize(&before, first, steps: 3)
        let saved = before.state()
        _ = optimize(&before, first, steps: 1)   // the snapshot must not follow later steps

        let resumed = Tensor(shape: [3], scalars: expected[2], requiresGradient: true)
        var after = kind.make(resumed)
        try after.load(state: saved)
        let continued = optimize(&after, resumed, steps: 2)
        #expect(continued == Array(expected[3...]))
    }

    @Test func adamStateLayout() {
        let w = startingWeights()
        var optimizer: any Optimizer = Adam(parameters: [(key: "w", tensor: w)])
        _ = optimize(&optimizer, w, steps: 2)
        let state = optimizer.state()
        #expect(state.keys == ["w.step", "w.firstMoment", "w.secondMoment"])
        #expect(state["w.step"]?.shape == [] && state["w.step"]?.scalar == 2)
        #expect(state["w.firstMoment"]?.shape == [3])
    }

    @Test func parametersWithoutGradientsAreSkipped() {
        let w = startingWeights(), idle = Tensor(shape: [2], scalars: [1, 2], requiresGradient: true)
        var optimizer: any Optimizer = AdamW(parameters: [(key: "w", tensor: w), (key: "idle", tensor: idle)],
                                             learningRate: 0.1, weightDecay: 0.5)
        _ = optimize(&optimizer, w, steps: 2)
        #expect(idle.scalars == [1, 2])
        #expect(optimizer.state().keys.allSatisfy { $0.hasPrefix("w.") })
        optimizer.zeroGradients()
        #expect(w.gradient == nil)
    }

    @Test func groupsUseTheirOwnLearningRates() {
        let a = Tensor(shape: [1], scalars: [1], requiresGradient: true)
        let b = Tensor(shape: [1], scalars: [1], requiresGradient: true)
        var optimizer = SGD(groups: [ParameterGroup(parameters: [(key: "a", tensor: a)], learningRate: 0.1),
                                     ParameterGroup(parameters: [(key: "b", tensor: b)], learningRate: 0.5, weightDecay: 1)])
        (a * 2 + b * 2).sum().backward()
        optimizer.step()
        expectClose(a.scalars, [1 - 0.1 * 2])
        expectClose(b.scalars, [1 - 0.5 * (2 + 1)])
        optimizer.groups[0].learningRate = 0
        optimizer.step()
        expectClose(a.scalars, [0.8])
        #expect(optimizer.state().isEmpty)
    }

    @Test func loadingReportsIncompleteUnknownAndMisshapenState() {
        let w = startingWeights()
        var optimizer = Adam(parameters: [(key: "w", tensor: w)])
        var state = StateDict()
        state["w.firstMoment"] = Tensor(zeros: [3])
        #expect(throws: StateDictError.missingKeys(["w.step", "w.secondMoment"])) { try optimizer.load(state: state) }
        state["w.step"] = Tensor(1)
        state["w.secondMoment"] = Tensor(zeros: [4])
        state["ghost.step"] = Tensor(1)
        #expect(throws: StateDictError.unexpectedKeys(["ghost.step"])) { try optimizer.load(state: state) }
        state["ghost.step"] = nil
        let error = #expect(throws: StateDictError.self) { try optimizer.load(state: state) }
        #expect(error?.errorDescription == "w.secondMoment: expected shape [3], checkpoint has [4]")
        var sgd = SGD(parameters: [(key: "w", tensor: w)], learningRate: 0.1, momentum: 0.9)
        #expect(throws: StateDictError.unexpectedKeys(["w.firstMoment", "w.step", "w.secondMoment"])) {
            try sgd.load(state: state)
        }
    }
}
