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
    public func load(weights url: URL, scale: Int = 12) throws(ModelLoadingError) -> any LoadableEnhancer {
        let model = makeModel(scale: scale)
        try model.loadWeights(from: url, expecting: self)
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

/// The safetensors metadata key naming the model that weights belong to.
public let modelMetadataKey = "lumen.model"

/// The safetensors metadata key holding a training checkpoint's position: its
/// presence marks a checkpoint, whose model weights are the `model.` tensors.
public let trainingPositionMetadataKey = "lumen.position"

extension LoadableEnhancer {
    /// Fills this model from a safetensors or PyTorch file, replacing every weight.
    ///
    /// A Lumen training checkpoint (`checkpoint.safetensors` of a run folder) also
    /// works: its `model.` tensors are the weights. Every weight must be a finite
    /// floating-point number; integer tensors and NaN or infinite values are refused,
    /// naming the file and the key.
    public func loadWeights(from url: URL, expecting kind: ModelKind) throws(ModelLoadingError) {
        let name = url.relativePath
        if try WeightsFormat.sniff(url) == .safetensors {
            let contents: Safetensors.Contents
            do { contents = try Safetensors.read(contentsOf: url) } catch {
                throw .invalidWeights(message: error.localizedDescription)
            }
            try load(contents, source: name, expecting: kind)
        } else {
            let contents: (tensors: [String: Tensor], integerKeys: Set<String>)
            do { contents = try TorchCheckpoint.read(contentsOf: url) } catch {
                throw .invalidWeights(message: error.localizedDescription)
            }
            let loaded = contents.integerKeys.filter { if case .load? = Self.importRule(forKey: $0) { true } else { false } }
            if let key = loaded.sorted().first {
                throw .incompatible(file: name, model: kind.rawValue, reason: "\(key) holds integers; weights are floating-point numbers")
            }
            try importCheckpoint(contents.tensors, source: name)
        }
    }

    /// Fills this model from decoded Lumen safetensors: inference weights, or the
    /// `model.` tensors of a training checkpoint.
    func load(_ contents: Safetensors.Contents, source: String, expecting kind: ModelKind) throws(ModelLoadingError) {
        if let saved = contents.metadata[modelMetadataKey], saved != kind.rawValue {
            throw .incompatible(file: source, model: kind.rawValue, reason: "these are weights of \(saved)")
        }
        var tensors = contents.tensors, integerKeys = contents.integerKeys
        if contents.metadata[trainingPositionMetadataKey] != nil {
            let prefix = "model."
            tensors = Dictionary(uniqueKeysWithValues: tensors.compactMap { key, tensor in
                key.hasPrefix(prefix) ? (String(key.dropFirst(prefix.count)), tensor) : nil
            })
            integerKeys = Set(integerKeys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) })
        }
        if let key = integerKeys.sorted().first {
            throw .incompatible(file: source, model: kind.rawValue, reason: "\(key) holds integers; weights are floating-point numbers")
        }
        do {
            try load(StateDict(tensors.map { (key: $0.key, tensor: $0.value) }), strict: true)
        } catch {
            throw .incompatible(file: source, model: kind.rawValue, reason: error.localizedDescription)
        }
    }

    /// Writes the weights as safetensors with Lumen's keys, atomically, noting the
    /// model kind in the metadata.
    public func saveWeights(to url: URL, kind: ModelKind, metadata: [String: String] = [:]) throws(AtomicFileError) {
        var tensors: [String: Tensor] = [:]
        for (key, tensor) in stateDict() { tensors[key] = tensor }
        try Safetensors.write(tensors, metadata: metadata.merging([modelMetadataKey: kind.rawValue]) { $1 }, to: url)
    }
}

/// How weights are stored in a file, from its first bytes.
enum WeightsFormat {
    case safetensors, pytorch

    /// Safetensors is recognised by its header's `{` after the 8-byte length, PyTorch
    /// by its signatures (a zip archive, or a legacy file's `PROTO` opcode followed by
    /// the `LONG1` of its magic number); anything else is read as safetensors, whose
    /// reader then says what is wrong with the header, rather than being called
    /// "not a PyTorch checkpoint".
    static func sniff(_ url: URL) throws(ModelLoadingError) -> WeightsFormat {
        let name = url.relativePath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw .unreadable(file: name, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadable(file: name, reason: "is a folder, not a weights file") }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw .unreadable(file: name, reason: "cannot be read (permission denied?)")
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 9)) ?? Data())
        if head.count == 9 && head[8] == UInt8(ascii: "{") { return .safetensors }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || (head.count >= 3 && head[0] == 0x80 && head[2] == 0x8A) { return .pytorch }
        return .safetensors
    }
}
