import Foundation
import Lumen
import LumenNN
import LumenTensor

/// Training of a restoration model (ESPCN, DnCNN, the denoising auto-encoder) on
/// degraded crops and their clean originals: the mean squared error, the loss of
/// the ESPCN and DnCNN papers and the one PSNR measures; Adam without weight decay.
public final class RestorationRecipe: TrainingRecipe {
    public let kind: RestorationModelKind
    /// The model being trained.
    public let model: any LoadableRestorer
    public var modelName: String { kind.rawValue }
    public var network: Module { model }
    public var isSupervised: Bool { true }
    public let gradientClipNorm: Float? = nil
    public let weightDecay: Float = 0

    /// - Parameter scale: ESPCN's factor; ignored by the denoisers.
    public init(_ kind: RestorationModelKind, scale: Int, seed: UInt64) {
        self.kind = kind
        model = kind.makeModel(scale: scale, seed: seed)
    }

    /// - Precondition: the batch has targets of the model's output shape.
    public func losses(_ batch: TrainingBatch) -> LossTerms {
        guard let target = batch.target else { preconditionFailure("restoration training needs targets") }
        return LossTerms([LossTerm(name: "mse", value: (model.restored(batch.input) - target).squared().mean(), weight: 1)])
    }

    public func enhanced(_ input: Tensor) -> Tensor { withoutGradients { model.restored(input) } }

    /// Starts from weights of the same architecture (a Lumen file or an official checkpoint).
    public func loadInitialWeights(from url: URL) throws { try WeightsFile.read(url).load(into: model, modelName: kind.rawValue) }

    public func saveInferenceWeights(to url: URL, metadata: [String: String]) throws {
        try model.saveWeights(to: url, kind: kind, metadata: metadata)
    }
}
