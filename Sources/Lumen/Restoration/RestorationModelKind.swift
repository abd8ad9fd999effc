import Foundation
import LumenIO
import LumenNN
import LumenTensor

/// The learned restoration models, by their command-line names.
public enum RestorationModelKind: String, CaseIterable, Sendable, CustomStringConvertible {
    /// ESPCN super-resolution at ×2, ×3 or ×4.
    case espcn
    /// DnCNN: residual denoising, gray or colour, of any depth and width.
    case dncnn
    /// The seed's denoising auto-encoder (RGB).
    case denoiseAE = "denoise-ae"

    public var description: String { rawValue }

    /// What the model does.
    public var task: RestorationTask { self == .espcn ? .superResolution : .denoising }

    /// The architecture of Lumen's own training runs and bundled weights: ESPCN in
    /// its Y-only form (OpenCV's architecture: most of an image's detail is in its luma,
    /// and the paper trains on Y); a DnCNN of 10 convolutions of 32 features, a quarter
    /// of the width and 60 % of the depth of the published one, so that a useful
    /// denoiser trains in under an hour on two cores.
    public func makeModel(scale: Int = 3, seed: UInt64 = 0) -> any LoadableRestorer {
        var generator = SplitMix64(seed: seed)
        switch self {
        case .espcn: return ESPCN(scale: scale, variant: .luma, using: &generator)
        case .dncnn: return DnCNN(channels: 1, features: Self.lumenDnCNNFeatures, depth: Self.lumenDnCNNDepth, using: &generator)
        case .denoiseAE: return DenoisingAutoencoder(using: &generator)
        }
    }

    /// The class ``makeModel(scale:seed:)`` builds, to ask what it can do without building one.
    public var modelType: any LoadableRestorer.Type {
        switch self {
        case .espcn: ESPCN.self
        case .dncnn: DnCNN.self
        case .denoiseAE: DenoisingAutoencoder.self
        }
    }

    /// The width and depth of Lumen's DnCNN (``makeModel(scale:seed:)``).
    public static let lumenDnCNNFeatures = 32, lumenDnCNNDepth = 10

    /// The model with weights read from `url`: Lumen safetensors, an official PyTorch
    /// checkpoint (Nhat-Thanh's ESPCN, KAIR's DnCNN), or for ESPCN OpenCV's TensorFlow
    /// `ESPCN_x*.pb`. The architecture (ESPCN's scale and form, DnCNN's depth, width
    /// and channels) is read from the weights.
    /// - Parameter scale: the scale asked for, checked against the weights' (`nil`: any).
    public func load(weights url: URL, scale: Int? = nil) throws(ModelLoadingError) -> any LoadableRestorer {
        let model: any LoadableRestorer
        if self == .espcn, url.pathExtension.lowercased() == "pb" {
            do { model = try ESPCN.importing(TensorFlowGraph.load(contentsOf: url), source: url.relativePath) } catch {
                throw .invalidWeights(message: error.localizedDescription)
            }
        } else {
            let file = try WeightsFile.read(url)
            model = try makeModel(fitting: file)
            try file.load(into: model, modelName: rawValue)
        }
        try Self.check(model, scale: scale, source: url.relativePath)
        return model
    }

    /// Refuses weights whose scale is not the one asked for.
    static func check(_ model: any LoadableRestorer, scale: Int?, source: String) throws(ModelLoadingError) {
        if let scale, model.scaleFactor != scale {
            throw .incompatible(file: source, model: "espcn ×\(scale)",
                                reason: "these weights upscale ×\(model.scaleFactor): give --scale \(model.scaleFactor) or weights for ×\(scale)")
        }
    }

    /// A model shaped like the weights in `file`, not yet filled.
    func makeModel(fitting file: WeightsFile) throws(ModelLoadingError) -> any LoadableRestorer {
        var generator = SplitMix64(seed: 0)
        switch self {
        case .denoiseAE:
            return DenoisingAutoencoder(using: &generator)
        case .espcn:
            let tensors = file.lumenTensors(rule: ESPCN.importRule)
            guard let last = tensors["conv3.weight"], let first = tensors["conv1.weight"], last.shape.rank == 4, first.shape.rank == 4,
                  [1, 3].contains(first.shape[1]) else {
                throw .incompatible(file: file.source, model: rawValue, reason: "no conv1.weight and conv3.weight of an ESPCN")
            }
            let channels = first.shape[1], outputs = last.shape[0]
            let scale = Int(Double(outputs / channels).squareRoot().rounded())
            guard scale >= 1, scale * scale * channels == outputs else {
                throw .incompatible(file: file.source, model: rawValue,
                                    reason: "conv3 has \(outputs) outputs, not \(channels) × scale² for a whole scale")
            }
            let variant: ESPCN.Variant = channels == 1 ? .luma : .color
            let colorModel = try file.metadata(colorModelMetadataKey).map { name throws(ModelLoadingError) in
                guard let model = RestorationColorModel(rawValue: name) else {
                    throw .incompatible(file: file.source, model: rawValue, reason: "unknown colour model \(name)")
                }
                return model
            }
            guard colorModel.map({ $0.channels == channels }) ?? true else {
                throw .incompatible(file: file.source, model: rawValue, reason: "colour model \(colorModel!) for \(channels) channels")
            }
            return ESPCN(scale: scale, variant: variant, colorModel: colorModel, using: &generator)
        case .dncnn:
            let tensors = file.lumenTensors(rule: DnCNN.importRule)
            let indices = tensors.keys.compactMap { key -> Int? in
                let parts = key.split(separator: ".")
                return parts.count == 4 && parts[0] == "model" && parts[1] == "layers" && parts[3] == "weight" ? Int(parts[2]) : nil
            }.sorted()
            guard let firstIndex = indices.first, let first = tensors["model.layers.\(firstIndex).weight"], first.shape.rank == 4,
                  indices.count >= 2, indices == Array(stride(from: 0, to: 2 * indices.count, by: 2)) else {
                throw .incompatible(file: file.source, model: rawValue, reason: "no model.N.weight convolutions of a DnCNN")
            }
            let channels = first.shape[1], features = first.shape[0]
            guard [1, 3].contains(channels), features >= 1, features <= 4096, indices.count <= 1000 else {
                throw .incompatible(file: file.source, model: rawValue,
                                    reason: "its first convolution maps \(channels) channels to \(features); DnCNN takes 1 or 3")
            }
            return DnCNN(channels: channels, features: features, depth: indices.count, using: &generator)
        }
    }
}

/// What a restoration model does to an image.
public enum RestorationTask: String, Sendable {
    /// Enlarges it (`lumen upscale`).
    case superResolution = "sr"
    /// Removes noise, keeping the size (`lumen denoise`).
    case denoising = "denoise"
}

/// The safetensors metadata key naming the ``RestorationColorModel`` weights were trained with.
public let colorModelMetadataKey = "lumen.color-model"

/// A restoration model whose weights can be loaded and saved.
public protocol LoadableRestorer: TensorRestorer, CheckpointImportable {}
extension ESPCN: LoadableRestorer {}
extension DnCNN: LoadableRestorer {}
extension DenoisingAutoencoder: LoadableRestorer {}

extension LoadableRestorer {
    /// Writes the weights as Lumen safetensors, recording the model and its colour model.
    public func saveWeights(to url: URL, kind: RestorationModelKind, metadata: [String: String] = [:]) throws(AtomicFileError) {
        try saveWeights(to: url, modelName: kind.rawValue, metadata: metadata.merging([colorModelMetadataKey: colorModel.rawValue]) { $1 })
    }
}
