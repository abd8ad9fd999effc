import Foundation
import LumenIO
import LumenNN
import LumenTensor

/// Which low-light front end a ``MattingUNet`` runs first.
public enum MattingFrontEndKind: String, CaseIterable, Sendable, Codable {
    /// The plain model: the U-Net sees the photo as it is.
    case none
    /// Seed 001's ``IlluminationEstimator``.
    case illumination
    /// Zero-DCE++ at scale 1, starting from Lumen's bundled weights.
    case zeroDCEPlusPlus = "zero-dce-pp"
}

extension MattingUNet: CheckpointImportable {
    /// `nil` for every key: the matting U-Net is Lumen's own model, with no official checkpoints.
    public static func importRule(forKey torchKey: String) -> CheckpointKeyRule? { nil }
}

extension MattingUNet {
    /// The model's command-line name, under which its weights are saved.
    public static let modelName = "matting-unet"
    /// The safetensors metadata key that records the front end.
    public static let frontEndMetadataKey = "lumen.matting.front-end"

    /// Which front end this model has.
    public var frontEndKind: MattingFrontEndKind {
        switch frontEnd {
        case nil: .none
        case is IlluminationEstimator: .illumination
        default: .zeroDCEPlusPlus
        }
    }

    /// A randomly initialised model with `frontEnd`; Zero-DCE++ starts from its
    /// bundled weights (pre-trained, as the seed asks of the front end).
    public static func make(frontEnd: MattingFrontEndKind, seed: UInt64 = 0) -> MattingUNet {
        var generator = SplitMix64(seed: seed)
        let front: (any MattingFrontEnd)?
        switch frontEnd {
        case .none: front = nil
        case .illumination: front = IlluminationEstimator(using: &generator)
        case .zeroDCEPlusPlus:
            // The bundled weights ship with Lumen; failing to decode them is a build defect.
            front = try! ZeroDCEPlusPlus.pretrained(scale: 1)
        }
        return MattingUNet(frontEnd: front, using: &generator)
    }

    /// The model saved in `url` (Lumen safetensors or a training checkpoint), with the
    /// front end its metadata records, or, in a checkpoint, that its keys show.
    public static func load(from url: URL) throws(ModelLoadingError) -> MattingUNet {
        try load(try WeightsFile.read(url))
    }

    /// The model with Lumen's bundled weights for `frontEnd`: `.none` (the plain model,
    /// trained on normal-light composites) or `.zeroDCEPlusPlus` (the low-light model,
    /// fine-tuned in seed 001's stages on darkened ones). README, "Low-light matting".
    /// - Throws: `ModelLoadingError.noBundledWeights` for the illumination front end.
    public static func pretrained(frontEnd: MattingFrontEndKind) throws(ModelLoadingError) -> MattingUNet {
        let name = frontEnd == .none ? modelName : "\(modelName) with a \(frontEnd.rawValue) front end"
        guard let data = BundledWeights.data(forMatting: frontEnd) else { throw .noBundledWeights(model: name) }
        let source = "bundled \(name) weights"
        let contents: Safetensors.Contents
        do { contents = try Safetensors.decode(data, name: source) } catch { throw .invalidWeights(message: error.localizedDescription) }
        return try load(.lumen(contents, source: source))
    }

    private static func load(_ file: WeightsFile) throws(ModelLoadingError) -> MattingUNet {
        let recorded = file.metadata(frontEndMetadataKey) ?? frontEndKind(ofKeys: file.lumenTensors { _ in nil }.keys).rawValue
        guard let kind = MattingFrontEndKind(rawValue: recorded) else {
            throw .incompatible(file: file.source, model: modelName, reason: "it records an unknown front end, \(recorded)")
        }
        let model = make(frontEnd: kind)
        try file.load(into: model, modelName: modelName)
        return model
    }

    /// Fills this model from `url`, which may lack the front end (weights of the plain
    /// model, to fine-tune with a front end): the front end then keeps its own weights.
    public func loadWeights(from url: URL) throws(ModelLoadingError) {
        let file = try WeightsFile.read(url)
        let recorded = MattingFrontEndKind(rawValue: file.metadata(Self.frontEndMetadataKey) ?? "none") ?? .none
        if recorded == frontEndKind || frontEnd == nil {
            try file.load(into: self, modelName: Self.modelName)
            return
        }
        guard recorded == .none else {
            throw .incompatible(file: url.relativePath, model: Self.modelName,
                                reason: "it holds a \(recorded.rawValue) front end, this model a \(frontEndKind.rawValue) one")
        }
        let saved = frontEnd!.stateDict()
        var generator = SplitMix64(seed: 0)
        let plain = MattingUNet(width: encoder.channels[0], frontEnd: nil, using: &generator)
        try file.load(into: plain, modelName: Self.modelName)
        var entries = plain.stateDict().map { (key: $0.key, tensor: $0.tensor) }
        entries += saved.map { (key: "frontEnd." + $0.key, tensor: $0.tensor) }
        do { try load(StateDict(entries), strict: true) } catch {
            throw .incompatible(file: url.relativePath, model: Self.modelName, reason: error.localizedDescription)
        }
    }

    /// The front end that weights with these keys hold: the illumination estimator's
    /// `inputConv`, Zero-DCE++'s `conv1`, or none.
    static func frontEndKind(ofKeys keys: some Sequence<String>) -> MattingFrontEndKind {
        let frontEnd = keys.filter { $0.hasPrefix("frontEnd.") }
        if frontEnd.isEmpty { return .none }
        return frontEnd.contains { $0.hasPrefix("frontEnd.inputConv.") } ? .illumination : .zeroDCEPlusPlus
    }

    /// Writes the weights, recording the front end.
    public func saveWeights(to url: URL, metadata: [String: String] = [:]) throws(AtomicFileError) {
        try saveWeights(to: url, modelName: Self.modelName,
                        metadata: metadata.merging([Self.frontEndMetadataKey: frontEndKind.rawValue]) { $1 })
    }
}
