import Foundation
import LumenTensor

/// The per-parameter state of ``Adam`` and ``AdamW`` and their shared update,
/// PyTorch's `_single_tensor_adam` / `_single_tensor_adamw` (no AMSGrad, not
/// maximising, not capturable).
///
/// Scalar coefficients (bias corrections, step size, `1 − β`) are computed in
/// Double and rounded to Float, as PyTorch computes them in Python floats; the
/// element-wise math is Float in PyTorch's operation order.
struct AdamMoments: Sendable {
    /// How weight decay enters the update.
    enum WeightDecay {
        /// Adam: `g ← g + wd·p` (an L2 term in the loss).
        case l2
        /// AdamW: `p ← p·(1 − lr·wd)` before the update (Loshchilov & Hutter).
        case decoupled
    }

    /// One parameter's state: PyTorch's `step`, `exp_avg`, `exp_avg_sq`.
    struct Entry: Sendable {
        var step = 0
        var first: [Float]
        var second: [Float]
    }

    private var entries: [String: Entry] = [:]
    private static let fields = [StateField(name: "step", isScalar: true),
                                 StateField(name: "firstMoment", isScalar: false),
                                 StateField(name: "secondMoment", isScalar: false)]

    /// Updates every parameter of `groups` that has a gradient.
    mutating func step(_ groups: [ParameterGroup], beta1: Float, beta2: Float, epsilon: Float, weightDecay mode: WeightDecay) {
        for group in groups {
            for parameter in group.parameters {
                guard let gradient = parameter.tensor.gradient else { continue }
                let count = gradient.scalarCount
                var entry = entries.removeValue(forKey: parameter.key)
                    ?? Entry(first: [Float](repeating: 0, count: count), second: [Float](repeating: 0, count: count))
                entry.step += 1
                let coefficients = Coefficients(step: entry.step, learningRate: group.learningRate, weightDecay: group.weightDecay,
                                                beta1: beta1, beta2: beta2, epsilon: epsilon, mode: mode)
                coefficients.apply(to: parameter.tensor, gradient: gradient, first: &entry.first, second: &entry.second)
                entries[parameter.key] = entry
            }
        }
    }

    /// Saves `<key>.step` (rank-0 float), `<key>.firstMoment` and `<key>.secondMoment`.
    func state(of parameters: [NamedParameter]) -> StateDict {
        var state = StateDict()
        for parameter in parameters {
            guard let entry = entries[parameter.key] else { continue }
            state.store(stepCount: entry.step, parameter: parameter, name: "step")
            state.store(entry.first, parameter: parameter, name: "firstMoment")
            state.store(entry.second, parameter: parameter, name: "secondMoment")
        }
        return state
    }

    /// Replaces the state by what ``state(of:)`` saved.
    mutating func load(_ state: StateDict, parameters: [NamedParameter]) throws(StateDictError) {
        let saved = try state.optimizerEntries(for: parameters, fields: Self.fields)
        entries = saved.mapValues { Entry(step: Int($0[0].scalar), first: $0[1].scalars, second: $0[2].scalars) }
    }
}

/// The scalars of one parameter's update at one step.
private struct Coefficients {
    let beta1: Float, beta2: Float, epsilon: Float
    let oneMinusBeta1: Float, oneMinusBeta2: Float
    /// `lr / (1 − β1ᵗ)`.
    let stepSize: Float
    /// `√(1 − β2ᵗ)`.
    let correction2Root: Float
    /// The L2 coefficient added to the gradient (Adam), or 0.
    let l2: Float
    /// The factor `1 − lr·wd` applied to the parameter first (AdamW), or `nil`.
    let decay: Float?

    init(step: Int, learningRate: Float, weightDecay: Float, beta1: Float, beta2: Float, epsilon: Float,
         mode: AdamMoments.WeightDecay) {
        let t = Double(step)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        oneMinusBeta1 = Float(1 - Double(beta1))
        oneMinusBeta2 = Float(1 - Double(beta2))
        stepSize = Float(Double(learningRate) / (1 - Foundation.pow(Double(beta1), t)))
        correction2Root = Float((1 - Foundation.pow(Double(beta2), t)).squareRoot())
        l2 = mode == .l2 ? weightDecay : 0
        decay = mode == .decoupled ? Float(1 - Double(learningRate) * Double(weightDecay)) : nil
    }

    func apply(to parameter: Tensor, gradient: Tensor, first: inout [Float], second: inout [Float]) {
        parameter.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { grad in
                first.withUnsafeMutableBufferPointer { m in
                    second.withUnsafeMutableBufferPointer { v in
                        for i in p.indices {
                            if let decay { p[i] *= decay }
                            var g = grad[i]
                            if l2 != 0 { g += l2 * p[i] }
                            m[i] = lerp(m[i], g, weight: oneMinusBeta1)
                            v[i] = v[i] * beta2 + oneMinusBeta2 * g * g
                            let denominator = v[i].squareRoot() / correction2Root + epsilon
                            p[i] += -stepSize * m[i] / denominator
                        }
                    }
                }
            }
        }
    }

    /// `start + weight·(end − start)`, in ATen's two-branch form (`exp_avg.lerp_`)
    /// that stays accurate for weights near 1.
    private func lerp(_ start: Float, _ end: Float, weight: Float) -> Float {
        Swift.abs(weight) < 0.5 ? start + weight * (end - start) : end - (end - start) * (1 - weight)
    }
}
