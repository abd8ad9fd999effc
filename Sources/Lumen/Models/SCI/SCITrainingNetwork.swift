import LumenNN
import LumenTensor

/// SCI's training network (Ma et al., CVPR 2022, https://arxiv.org/abs/2204.10137):
/// the illumination network of ``SCI`` unrolled over several stages, each
/// stage's input corrected by a ``CalibrationNetwork``.
///
/// For the image `x` and stage input `x₀ = x`, stage `k` computes the
/// illumination `i_k = enhancer.illumination(x_k)`, the reflectance
/// `r_k = clamp(x / i_k, 0, 1)`, the calibration `c_k = calibrator(r_k)`, and the
/// next input `x_{k+1} = x + c_k`. Both networks are shared by all stages. Port
/// of `Network` (`stage=3`) in https://github.com/vis-opt-group/SCI/blob/main/model.py;
/// train it with ``SCIObjective`` and deploy ``inferenceModel()``, which is
/// only the illumination network (the calibration is needed for training only).
///
/// A new network is in training mode (batch-norm uses batch statistics).
public final class SCITrainingNetwork: Module, @unchecked Sendable {
    /// The stage-by-stage results of the reference implementation, `stages`
    /// tensors `[N, 3, H, W]` each.
    public struct Output {
        /// The stage inputs `x_k` (`x₀` is the image).
        public let inputs: [Tensor]
        /// The illuminations `i_k`, in `[1e-4, 1]`.
        public let illuminations: [Tensor]
        /// The reflectances `r_k = clamp(x / i_k, 0, 1)`: the enhanced images.
        public let reflectances: [Tensor]
        /// The calibration magnitudes `|c_k|` (the official `attlist`).
        public let attentions: [Tensor]

        /// Bundles per-stage results, one tensor per stage in each list.
        public init(inputs: [Tensor], illuminations: [Tensor], reflectances: [Tensor], attentions: [Tensor]) {
            self.inputs = inputs
            self.illuminations = illuminations
            self.reflectances = reflectances
            self.attentions = attentions
        }
    }

    /// The illumination network, shared by the stages; the deployed model.
    public let enhancer: SCI
    /// The self-calibration module.
    public let calibrator: CalibrationNetwork
    /// How many stages are unrolled (3 officially).
    public let stages: Int

    /// Creates a network initialised as the official `train.py` does: every
    /// convolution weight from `N(0, 0.02²)` with zero bias, every batch-norm
    /// scale from `N(1, 0.02²)` with zero shift.
    /// - Parameters:
    ///   - stages: the number of unrolled stages (3 officially).
    ///   - generator: the source of the initial weights.
    public init(stages: Int = 3, using generator: inout some RandomNumberGenerator) {
        precondition(stages > 0, "SCITrainingNetwork needs at least one stage, got \(stages)")
        enhancer = SCI(channels: 3, layers: 1, using: &generator)
        calibrator = CalibrationNetwork(channels: 16, layers: 3, using: &generator)
        self.stages = stages
        super.init()
        for (_, module) in modules() {
            if let conv = module as? Conv2d {
                conv.weight.assign(Tensor.normal(shape: conv.weight.shape, standardDeviation: 0.02, using: &generator))
                conv.bias?.assign(Tensor(zeros: [conv.weight.shape[0]]))
            } else if let norm = module as? BatchNorm2d, let scale = norm.weight {
                scale.assign(Tensor.normal(shape: scale.shape, mean: 1, standardDeviation: 0.02, using: &generator))
            }
        }
        train()
    }

    /// Runs every stage on `image` `[N, 3, H, W]` in `[0, 1]`.
    public func callAsFunction(_ image: Tensor) -> Output {
        var inputs: [Tensor] = [], illuminations: [Tensor] = [], reflectances: [Tensor] = [], attentions: [Tensor] = []
        var stageInput = image
        for _ in 0..<stages {
            inputs.append(stageInput)
            let illumination = enhancer.illumination(stageInput)
            // The reflectance divides the original image, not the stage input.
            let reflectance = (image / illumination).clamped(min: 0, max: 1)
            let calibration = calibrator(reflectance)
            stageInput = image + calibration
            illuminations.append(illumination)
            reflectances.append(reflectance)
            attentions.append(calibration.abs())
        }
        return Output(inputs: inputs, illuminations: illuminations, reflectances: reflectances, attentions: attentions)
    }

    /// A copy of the illumination network as an inference ``SCI`` model in
    /// evaluation mode, independent of further training of this network.
    public func inferenceModel() -> SCI {
        // Every weight and running statistic is overwritten by the load below.
        var generator = SplitMix64(seed: 0)
        let model = SCI(channels: enhancer.inConv.weight.shape[0], layers: enhancer.layers, using: &generator)
        do {
            try model.load(enhancer.stateDict())
        } catch {
            preconditionFailure("SCI does not fit its own training network's weights: \(error)")
        }
        return model
    }
}
