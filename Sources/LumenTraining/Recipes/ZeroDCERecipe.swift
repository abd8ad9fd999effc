import Foundation
import Lumen
import LumenNN
import LumenTensor

/// Zero-reference training of Zero-DCE (Guo et al. 2020) with the official
/// settings: the four losses weighted 200 / 1 / 5 / 10, Adam with weight decay
/// 1e-4, gradient-norm clipping at 0.1 (`lowlight_train.py`).
public final class ZeroDCERecipe: TrainingRecipe {
    public let model: ZeroDCE
    public let objective: ZeroDCEObjective
    public var modelName: String { ModelKind.zeroDCE.rawValue }
    public var network: Module { model }
    public let gradientClipNorm: Float? = 0.1
    public let weightDecay: Float = 1e-4

    public init(seed: UInt64, objective: ZeroDCEObjective = .zeroDCE) {
        var generator = SplitMix64(seed: seed)
        model = ZeroDCE(using: &generator)
        self.objective = objective
    }

    public func losses(_ batch: Tensor) -> LossTerms { objective(input: batch, output: model(batch)) }

    public func enhanced(_ batch: Tensor) -> Tensor { withoutGradients { model(batch).enhanced } }

    public func loadInitialWeights(from url: URL) throws { try model.loadWeights(from: url, expecting: .zeroDCE) }

    public func saveInferenceWeights(to url: URL, metadata: [String: String]) throws {
        try model.saveWeights(to: url, kind: .zeroDCE, metadata: metadata)
    }
}

/// Zero-reference training of Zero-DCE++ (Li et al. 2021): Zero-DCE's losses
/// with the smoothness weight 1600, trained at scale 1 as the official
/// `lowlight_train.py` does; the shipped model runs at any scale.
public final class ZeroDCEPlusPlusRecipe: TrainingRecipe {
    public let model: ZeroDCEPlusPlus
    public let objective: ZeroDCEObjective
    public var modelName: String { ModelKind.zeroDCEPlusPlus.rawValue }
    public var network: Module { model }
    public let gradientClipNorm: Float? = 0.1
    public let weightDecay: Float = 1e-4

    public init(seed: UInt64, objective: ZeroDCEObjective = .zeroDCEPlusPlus) {
        var generator = SplitMix64(seed: seed)
        model = ZeroDCEPlusPlus(scale: 1, using: &generator)
        self.objective = objective
    }

    public func losses(_ batch: Tensor) -> LossTerms { objective(input: batch, output: model(batch)) }

    public func enhanced(_ batch: Tensor) -> Tensor { withoutGradients { model(batch).enhanced } }

    public func loadInitialWeights(from url: URL) throws { try model.loadWeights(from: url, expecting: .zeroDCEPlusPlus) }

    public func saveInferenceWeights(to url: URL, metadata: [String: String]) throws {
        try model.saveWeights(to: url, kind: .zeroDCEPlusPlus, metadata: metadata)
    }
}
