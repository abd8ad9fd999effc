import Foundation
import LumenIO
import LumenNN
import LumenTensor

/// A weights file read into memory: Lumen safetensors (inference weights or a
/// training checkpoint) or an official PyTorch checkpoint, not yet loaded into a
/// model, so that a model whose shape depends on its weights (ESPCN's scale,
/// DnCNN's depth) can be built from them first.
public enum WeightsFile {
    /// Lumen safetensors: the model's own keys.
    case lumen(Safetensors.Contents, source: String)
    /// A PyTorch checkpoint (zip or legacy): official keys, mapped by the model's import rules.
    case pytorch(tensors: [String: Tensor], integerKeys: Set<String>, source: String)

    /// Reads `url`, telling the formats apart by their first bytes.
    public static func read(_ url: URL) throws(ModelLoadingError) -> WeightsFile {
        let name = url.relativePath
        if try WeightsFormat.sniff(url) == .safetensors {
            do { return .lumen(try Safetensors.read(contentsOf: url), source: name) } catch {
                throw .invalidWeights(message: error.localizedDescription)
            }
        }
        do {
            let contents = try TorchCheckpoint.read(contentsOf: url)
            return .pytorch(tensors: contents.tensors, integerKeys: contents.integerKeys, source: name)
        } catch {
            throw .invalidWeights(message: error.localizedDescription)
        }
    }

    /// The file's name, for messages.
    public var source: String {
        switch self {
        case .lumen(_, let source), .pytorch(_, _, let source): source
        }
    }

    /// The model's weights by Lumen key: a checkpoint's `model.` tensors, or an
    /// official checkpoint's tensors under `rule` (keys without a loading rule left out).
    func lumenTensors(rule: (String) -> CheckpointKeyRule?) -> [String: Tensor] {
        switch self {
        case let .lumen(contents, _):
            guard contents.metadata[trainingPositionMetadataKey] != nil else { return contents.tensors }
            return Dictionary(uniqueKeysWithValues: contents.tensors.compactMap { key, tensor in
                key.hasPrefix("model.") ? (String(key.dropFirst("model.".count)), tensor) : nil
            })
        case let .pytorch(tensors, _, _):
            return Dictionary(uniqueKeysWithValues: tensors.compactMap { key, tensor in
                if case .load(let lumenKey)? = rule(key) { (lumenKey, tensor) } else { nil }
            })
        }
    }

    /// A metadata value of Lumen safetensors; `nil` for PyTorch files.
    func metadata(_ key: String) -> String? {
        if case let .lumen(contents, _) = self { contents.metadata[key] } else { nil }
    }

    /// Fills `model`, replacing every weight.
    ///
    /// A Lumen training checkpoint (`checkpoint.safetensors` of a run folder) also
    /// works: its `model.` tensors are the weights. Every weight must be a finite
    /// floating-point number; integer tensors and NaN or infinite values are refused,
    /// naming the file and the key.
    /// - Parameter modelName: the model's command-line name, which Lumen files must
    ///   have been saved under.
    public func load<Model: CheckpointImportable>(into model: Model, modelName: String) throws(ModelLoadingError) {
        switch self {
        case let .lumen(contents, source):
            if let saved = contents.metadata[modelMetadataKey], saved != modelName {
                throw .incompatible(file: source, model: modelName, reason: "these are weights of \(saved)")
            }
            var integerKeys = contents.integerKeys
            if contents.metadata[trainingPositionMetadataKey] != nil {
                integerKeys = Set(integerKeys.filter { $0.hasPrefix("model.") }.map { String($0.dropFirst("model.".count)) })
            }
            if let key = integerKeys.sorted().first {
                throw .incompatible(file: source, model: modelName, reason: "\(key) holds integers; weights are floating-point numbers")
            }
            let tensors = lumenTensors { _ in nil }
            do {
                try model.load(StateDict(tensors.map { (key: $0.key, tensor: $0.value) }), strict: true)
            } catch {
                throw .incompatible(file: source, model: modelName, reason: error.localizedDescription)
            }
        case let .pytorch(tensors, integerKeys, source):
            let loaded = integerKeys.filter { if case .load? = Model.importRule(forKey: $0) { true } else { false } }
            if let key = loaded.sorted().first {
                throw .incompatible(file: source, model: modelName, reason: "\(key) holds integers; weights are floating-point numbers")
            }
            try model.importCheckpoint(tensors, source: source)
        }
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
