import Foundation
import Lumen
import LumenNN
import LumenTensor

/// Supervised training of the gain U-Net and the parametric enhancer on pairs:
/// the ``SupervisedObjective`` (L1, SSIM, Sobel-gradient L1 and, for the gain
/// U-Net, total variation of its map, with its default weights) between the
/// enhanced input and the target; Adam without weight decay, gradient-norm
/// clipping at 1.
public final class SupervisedRecipe: TrainingRecipe {
    public let kind: ModelKind
    /// The model being trained.
    public let model: any LoadableEnhancer
    public let objective: SupervisedObjective
    private let forward: (Tensor) -> (enhanced: Tensor, gain: Tensor?)
    public var modelName: String { kind.rawValue }
    public var network: Module { model }
    public var isSupervised: Bool { true }
    public let gradientClipNorm: Float? = 1
    public let weightDecay: Float = 0

    /// - Parameter kind: `.gainUNet` or `.parametric`.
    public init(_ kind: ModelKind, seed: UInt64, objective: SupervisedObjective = SupervisedObjective()) {
        var generator = SplitMix64(seed: seed)
        (self.kind, self.objective) = (kind, objective)
        switch kind {
        case .gainUNet:
            let model = GainUNet(mode: ModelKind.gainUNetMode, using: &generator)
            self.model = model
            forward = { let output = model($0); return (output.enhanced, output.map) }
        case .parametric:
            let model = ParametricEnhancer(using: &generator)
            self.model = model
            forward = { (model($0).enhanced, nil) }
        case .zeroDCE, .zeroDCEPlusPlus, .sci, .enlightenGAN, .ganPaired:
            preconditionFailure("\(kind) does not train on pairs with this recipe")
        }
    }

    /// - Precondition: the batch has targets.
    public func losses(_ batch: TrainingBatch) -> LossTerms {
        guard let target = batch.target else { preconditionFailure("supervised training needs targets") }
        let (enhanced, gain) = forward(batch.input)
        return objective(prediction: enhanced, target: target, gain: gain)
    }

    public func enhanced(_ input: Tensor) -> Tensor { withoutGradients { model.enhanced(input) } }

    public func loadInitialWeights(from url: URL) throws { try model.loadWeights(from: url, expecting: kind) }

    public func saveInferenceWeights(to url: URL, metadata: [String: String]) throws {
        try model.saveWeights(to: url, kind: kind, metadata: metadata)
    }
}
