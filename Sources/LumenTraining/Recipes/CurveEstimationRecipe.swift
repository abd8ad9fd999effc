import Foundation
import Lumen
import LumenNN
import LumenTensor

/// Zero-reference training of the curve estimators, Zero-DCE (Guo et al. 2020)
/// and Zero-DCE++ (Li et al. 2021), with the official settings of their
/// `lowlight_train.py`: the four losses weighted smoothness / spatial / colour /
/// exposure = 200 (Zero-DCE) or 1600 (Zero-DCE++) / 1 / 5 / 10, Adam with weight
/// decay 1e-4 and gradient-norm clipping at 0.1. Zero-DCE++ trains at scale 1, as
/// officially; the shipped model runs at any scale.
public final class CurveEstimationRecipe: TrainingRecipe {
    public let kind: ModelKind
    /// The model being trained.
    public let model: any LoadableEnhancer
    private let lossesOf: (Tensor) -> LossTerms
    public var modelName: String { kind.rawValue }
    public var network: Module { model }
    public var isSupervised: Bool { false }
    public let gradientClipNorm: Float? = 0.1
    public let weightDecay: Float = 1e-4

    /// - Parameters:
    ///   - kind: `.zeroDCE` or `.zeroDCEPlusPlus`.
    ///   - widths: Zero-DCE's layer widths (``ZeroDCE/widths``), to fine-tune a pruned
    ///     model; `nil` for the official 32.
    public init(_ kind: ModelKind, seed: UInt64, widths: [Int]? = nil) {
        var generator = SplitMix64(seed: seed)
        self.kind = kind
        switch kind {
        case .zeroDCE:
            let model = ZeroDCE(widths: widths ?? Array(repeating: 32, count: 6), using: &generator)
            self.model = model
            lossesOf = { ZeroDCEObjective.zeroDCE(input: $0, output: model($0)) }
        case .zeroDCEPlusPlus:
            let model = ZeroDCEPlusPlus(scale: 1, using: &generator)
            self.model = model
            lossesOf = { ZeroDCEObjective.zeroDCEPlusPlus(input: $0, output: model($0)) }
        case .sci, .gainUNet, .parametric, .enlightenGAN, .ganPaired:
            preconditionFailure("\(kind) is not a curve estimator")
        }
    }

    public func losses(_ batch: TrainingBatch) -> LossTerms { lossesOf(batch.input) }

    public func enhanced(_ batch: Tensor) -> Tensor { withoutGradients { model.enhanced(batch) } }

    public func loadInitialWeights(from url: URL) throws { try model.loadWeights(from: url, expecting: kind) }

    public func saveInferenceWeights(to url: URL, metadata: [String: String]) throws {
        try model.saveWeights(to: url, kind: kind, metadata: metadata)
    }
}
