import LumenNN
import LumenTensor

/// SCI's unsupervised training objective, summed over the stages `k` of
/// ``SCITrainingNetwork``:
///
///     total = Σ_k fidelityWeight · MSE(i_k, x_k) + smoothnessWeight · S(i_k, x_k)
///
/// where `x_k` is stage `k`'s input, `i_k` its illumination and `S`
/// ``sciSmoothnessLoss(illumination:input:sigma:colorTransform:)``. Port of
/// `LossFunction` in https://github.com/vis-opt-group/SCI/blob/main/loss.py and
/// `Network._loss` in `model.py`.
///
/// ```swift
/// let network = SCITrainingNetwork(using: &generator)
/// let losses = SCIObjective()(network(batch))
/// losses.total.backward()
/// ```
public struct SCIObjective: Sendable, Hashable {
    /// Weight of the fidelity (mean squared error) term, 1.5 officially.
    public var fidelityWeight: Float
    /// Weight of the smoothness term, 1 officially.
    public var smoothnessWeight: Float
    /// The colour scale σ of the smoothness weights, 10 officially.
    public var sigma: Float
    /// How the smoothness guide is computed; `.official` reproduces the reference code.
    public var colorTransform: SCISmoothnessColorTransform

    /// Creates an objective; the defaults are the official settings, except for
    /// the colour transform (Lumen's per-pixel YCbCr by default).
    public init(fidelityWeight: Float = 1.5, smoothnessWeight: Float = 1, sigma: Float = 10,
                colorTransform: SCISmoothnessColorTransform = .perPixel) {
        self.fidelityWeight = fidelityWeight
        self.smoothnessWeight = smoothnessWeight
        self.sigma = sigma
        self.colorTransform = colorTransform
    }

    /// The loss terms `fidelity` and `smoothness`, each summed over the stages.
    public func callAsFunction(_ output: SCITrainingNetwork.Output) -> LossTerms {
        precondition(!output.inputs.isEmpty && output.inputs.count == output.illuminations.count,
                     "SCIObjective of \(output.inputs.count) inputs and \(output.illuminations.count) illuminations")
        let stages = Array(zip(output.illuminations, output.inputs))
        let fidelity = stages.map { mseLoss($0, $1) }
        let smoothness = stages.map {
            sciSmoothnessLoss(illumination: $0, input: $1, sigma: sigma, colorTransform: colorTransform)
        }
        return LossTerms([
            LossTerm(name: "fidelity", value: fidelity.dropFirst().reduce(fidelity[0], +), weight: fidelityWeight),
            LossTerm(name: "smoothness", value: smoothness.dropFirst().reduce(smoothness[0], +), weight: smoothnessWeight),
        ])
    }
}
