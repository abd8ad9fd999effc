import Foundation
import Lumen
import LumenNN
import LumenTensor

/// Training of the matting U-Net on a matting folder (`image/`, `alpha/`): seed
/// 001's loss (``MattingObjective``) through a ``MattingStagePlan``, Adam without
/// weight decay, gradient-norm clipping at 1.
///
/// Each epoch's stage freezes what it says: frozen parameters get no gradients
/// (so Adam leaves them and their state alone) and frozen batch-norm layers run
/// in evaluation mode (so their statistics stay put too). The stage's learning rate
/// replaces `--lr`. Because the stage is a function of the epoch, a run resumed in
/// any stage, or across a stage boundary, continues exactly.
public final class MattingRecipe: TrainingRecipe {
    public let model: MattingUNet
    public let plan: MattingStagePlan
    public let objective: MattingObjective
    public var modelName: String { MattingUNet.modelName }
    public var network: Module { model }
    public var isSupervised: Bool { true }
    public let gradientClipNorm: Float? = 1
    public let weightDecay: Float = 0
    /// The parameter keys frozen in the current epoch.
    public private(set) var frozenKeys: Set<String> = []

    /// What a matting run is: the front end, the stages and the loss.
    public struct Settings: Sendable {
        public var frontEnd: MattingFrontEndKind
        public var plan: MattingStagePlan
        public var objective: MattingObjective

        /// The plain model with the seed's stages and loss by default.
        public init(frontEnd: MattingFrontEndKind = .none, plan: MattingStagePlan? = nil,
                    objective: MattingObjective = MattingObjective()) {
            (self.frontEnd, self.objective) = (frontEnd, objective)
            self.plan = plan ?? .seed(frontEnd: frontEnd != .none)
        }
    }

    /// - Throws: `MattingStagePlanError` when the plan names parts the model lacks.
    public init(_ settings: Settings, seed: UInt64) throws {
        model = MattingUNet.make(frontEnd: settings.frontEnd, seed: seed)
        (plan, objective) = (settings.plan, settings.objective)
        if let problem = plan.problem(parameterKeys: model.parameters().map(\.key)) {
            throw MattingStagePlanError(file: "the stage plan", reason: problem)
        }
    }

    public func dataProblem(_ data: TrainingDataSource) -> String? {
        if case .matting = data { return nil }
        return "learns from a matting folder: give --mattes DIR with image/ and alpha/ (as `lumen synth-matting` writes)"
    }

    public func beginEpoch(_ epoch: Int) -> Float? {
        let stage = plan.stage(atEpoch: epoch)
        let keys = model.parameters().map(\.key)
        frozenKeys = stage.frozenKeys(keys)
        for (key, tensor) in model.parameters() { tensor.requiresGradient = !frozenKeys.contains(key) }
        return stage.learningRate
    }

    public func losses(_ batch: TrainingBatch) -> LossTerms {
        guard let target = batch.target else { preconditionFailure("matting training needs alpha targets") }
        return objective(prediction: model(batch.input).alpha, target: target, input: batch.input)
    }

    /// The default step, with the frozen batch-norm layers in evaluation mode.
    public func trainingStep(_ batch: TrainingBatch, step: Int, optimizer: inout Adam, scaler: inout LossScaler) -> LossTerms {
        model.train()
        for (key, module) in model.modules() where module is BatchNorm2d && frozenKeys.contains(key + ".weight") {
            module.eval()
        }
        return optimizationStep(batch, optimizer: &optimizer, scaler: &scaler)
    }

    /// The alpha `[B, 1, H, W]`: previews show it between the photo and the true alpha.
    public func enhanced(_ input: Tensor) -> Tensor { withoutGradients { model.alpha(input) } }

    /// Plain-model weights initialise a model with a front end, whose front end then
    /// keeps its own (bundled or fresh) weights.
    public func loadInitialWeights(from url: URL) throws { try model.loadWeights(from: url) }

    public func saveInferenceWeights(to url: URL, metadata: [String: String]) throws {
        try model.saveWeights(to: url, metadata: metadata)
    }

    public var configuration: [String: String] {
        let stages = plan.stages.map { stage in
            "\(stage.name): \(stage.epochs) epochs at \(stage.learningRate), "
                + (stage.train.map { "train " + $0.joined(separator: " ") } ?? "freeze " + (stage.freeze ?? []).joined(separator: " "))
        }
        return ["front-end": model.frontEndKind.rawValue, "stages": stages.joined(separator: "; "),
                "edge-weight": objective.fixedEdgeWeight.map { "\($0)" } ?? "by brightness"]
    }
}
