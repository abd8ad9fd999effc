import Foundation
import LumenIO
import LumenNN
import LumenTensor

/// The learned models of the zoo, by their command-line names.
public enum ModelKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case zeroDCE = "zero-dce"
    case zeroDCEPlusPlus = "zero-dce-pp"
    case sci
    case gainUNet = "gain-unet"
    case parametric
    /// Lumen's EnlightenGAN-style generator (``AttentionUNetGenerator/lowLight(using:)``),
    /// trained without pairs by `lumen train enlighten-gan`.
    case enlightenGAN = "enlighten-gan"
    /// Lumen's pix2pix-style ResNet generator (``ResNetGenerator/paired(using:)``),
    /// trained on pairs by `lumen train gan-paired`; no weights ship with it.
    case ganPaired = "gan-paired"

    public var description: String { rawValue }

    /// A model with freshly initialised weights.
    /// - Parameter scale: Zero-DCE++'s downsampling factor; ignored by the others.
    public func makeModel(scale: Int = 12, seed: UInt64 = 0) -> any LoadableEnhancer {
        var generator = SplitMix64(seed: seed)
        switch self {
        case .zeroDCE: return ZeroDCE(using: &generator)
        case .zeroDCEPlusPlus: return ZeroDCEPlusPlus(scale: scale, using: &generator)
        case .sci: return SCI(using: &generator)
        case .gainUNet: return GainUNet(mode: Self.gainUNetMode, using: &generator)
        case .parametric: return ParametricEnhancer(using: &generator)
        case .enlightenGAN: return AttentionUNetGenerator.lowLight(using: &generator)
        case .ganPaired: return ResNetGenerator.paired(using: &generator)
        }
    }

    /// The class ``makeModel(scale:seed:)`` builds, to ask what it can do (`lumen export`
    /// lists the models whose class has an ONNX graph) without building one.
    public var modelType: any LoadableEnhancer.Type {
        switch self {
        case .zeroDCE: ZeroDCE.self
        case .zeroDCEPlusPlus: ZeroDCEPlusPlus.self
        case .sci: SCI.self
        case .gainUNet: GainUNet.self
        case .parametric: ParametricEnhancer.self
        case .enlightenGAN: AttentionUNetGenerator.self
        case .ganPaired: ResNetGenerator.self
        }
    }

    /// The mode of the `gain-unet` model: a per-pixel gamma, which unlike a gain of
    /// at most 2 can undo the −3 to −1 EV of the training data (``GainUNet``).
    public static let gainUNetMode = GainUNet.Mode.gamma

    /// Whether the model learns from low/normal pairs (`gain-unet`, `parametric`)
    /// rather than from photos alone.
    public var isSupervised: Bool { self == .gainUNet || self == .parametric }

    /// The model with weights read from `url`: a Lumen safetensors file (Lumen
    /// keys, written by `lumen convert` or `lumen train`) or an official PyTorch
    /// checkpoint (zip or legacy format, mapped by the model's import rules).
    /// Zero-DCE takes its widths from the file, so pruned weights (`lumen prune`) load too.
    public func load(weights url: URL, scale: Int = 12) throws(ModelLoadingError) -> any LoadableEnhancer {
        try load(WeightsFile.read(url), scale: scale)
    }

    /// The model with the weights of `file`, read already.
    public func load(_ file: WeightsFile, scale: Int = 12) throws(ModelLoadingError) -> any LoadableEnhancer {
        let model = self == .zeroDCE ? ZeroDCE.shaped(like: file) : makeModel(scale: scale)
        try file.load(into: model, modelName: rawValue)
        return model
    }
}

/// A zoo model: an enhancer whose weights can be loaded and saved.
public protocol LoadableEnhancer: TensorEnhancer, CheckpointImportable {}
extension ZeroDCE: LoadableEnhancer {}
extension ZeroDCEPlusPlus: LoadableEnhancer {}
extension SCI: LoadableEnhancer {}
extension GainUNet: LoadableEnhancer {}
extension ParametricEnhancer: LoadableEnhancer {}
extension AttentionUNetGenerator: LoadableEnhancer {}
extension ResNetGenerator: LoadableEnhancer {}

/// The safetensors metadata key naming the model that weights belong to.
public let modelMetadataKey = "lumen.model"

/// The safetensors metadata key holding a training checkpoint's position: its
/// presence marks a checkpoint, whose model weights are the `model.` tensors.
public let trainingPositionMetadataKey = "lumen.position"

extension LoadableEnhancer {
    /// Fills this model from a safetensors or PyTorch file, replacing every weight
    /// (``WeightsFile``).
    public func loadWeights(from url: URL, expecting kind: ModelKind) throws(ModelLoadingError) {
        try WeightsFile.read(url).load(into: self, modelName: kind.rawValue)
    }

    /// Writes the weights as safetensors with Lumen's keys, atomically, noting the
    /// model kind in the metadata.
    public func saveWeights(to url: URL, kind: ModelKind, metadata: [String: String] = [:]) throws(AtomicFileError) {
        try saveWeights(to: url, modelName: kind.rawValue, metadata: metadata)
    }
}

extension CheckpointImportable {
    /// Writes the weights as safetensors with Lumen's keys, atomically, noting the
    /// model's name in the metadata.
    public func saveWeights(to url: URL, modelName: String, metadata: [String: String] = [:]) throws(AtomicFileError) {
        var tensors: [String: Tensor] = [:]
        for (key, tensor) in stateDict() { tensors[key] = tensor }
        try Safetensors.write(tensors, metadata: metadata.merging([modelMetadataKey: modelName]) { $1 }, to: url)
    }
}
