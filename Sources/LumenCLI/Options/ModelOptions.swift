import ArgumentParser
import Foundation
import Lumen
import LumenDeploy

extension ModelKind: ExpressibleByArgument {}

/// Which learned model to run and with which weights.
///
/// The flags are optional rather than defaulted so that a command can tell a
/// model the user chose from the default one (`--method` with `--model` is a conflict).
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("model"),
            help: "The model: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")) (default: zero-dce-pp).")
    var chosenModel: ModelKind?

    @Option(help: "Weights: a Lumen .safetensors file or an official PyTorch checkpoint (.pth/.pt); default: Lumen's bundled weights. `lumen enhance` also takes an ONNX model (.onnx).")
    var weights: String?

    /// Whether `--weights` names an ONNX model, which `lumen enhance` runs as a whole graph.
    var weightsAreONNX: Bool { weights.map { URL(fileURLWithPath: $0).pathExtension.lowercased() == "onnx" } ?? false }

    @Option(name: .customLong("scale"), help: "Zero-DCE++ only: downsampling factor of the curve estimation (default: 12).")
    var chosenScale: Int?

    /// The model to run: `--model`, else Zero-DCE++.
    var model: ModelKind { chosenModel ?? .zeroDCEPlusPlus }

    /// Zero-DCE++'s downsampling factor: `--scale`, else 12.
    var scale: Int { chosenScale ?? 12 }

    /// Whether any of the model's flags was given.
    var isGiven: Bool { chosenModel != nil || weights != nil || chosenScale != nil }

    /// Zero-DCE++ pads images to a multiple of the scale; beyond this the padding alone
    /// would dwarf any photo (the per-image limit is its short side, checked per file).
    static let maximumScale = 4096

    func validate() throws {
        if let chosenScale {
            guard (1...Self.maximumScale).contains(chosenScale) else {
                throw ValidationError("--scale must be in 1...\(Self.maximumScale), got \(chosenScale)")
            }
            guard model == .zeroDCEPlusPlus else { throw ValidationError("--scale applies to zero-dce-pp only, not \(model)") }
        }
    }

    /// Loads the chosen model: from `--weights`, else Lumen's bundled weights.
    /// - Throws: `ModelLoadingError` naming the file or saying which flag to give.
    /// An int8 file (`lumen quantize`) names its model and fixes Zero-DCE++'s scale.
    func load() throws -> any TensorEnhancer {
        guard let weights else { return try model.pretrained(scale: scale) }
        if chosenScale != nil, let quantized = try Self.quantizedModel(at: weights, expecting: chosenModel) {
            throw ValidationError("\(weights) is an int8 model quantised at scale \(quantized.file.metadata["lumen.scale"] ?? "none"): drop --scale")
        }
        return try Self.enhancer(kind: model, weights: weights, expecting: chosenModel, scale: scale)
    }

    /// The model `kind` with the weights at `path`, or the int8 model there (which
    /// must be of `expected` when that is given).
    static func enhancer(kind: ModelKind, weights path: String, expecting expected: ModelKind?, scale: Int) throws -> any TensorEnhancer {
        let file = try WeightsFile.read(URL(fileURLWithPath: path))
        if let quantized = try quantizedModel(file, expecting: expected) { return quantized }
        return try kind.load(file, scale: scale)
    }

    private static func quantizedModel(at path: String, expecting expected: ModelKind?) throws -> (any QuantizedEnhancer)? {
        try quantizedModel(WeightsFile.read(URL(fileURLWithPath: path)), expecting: expected)
    }

    /// The int8 model in `file`, or `nil` when it holds float weights.
    private static func quantizedModel(_ file: WeightsFile, expecting expected: ModelKind?) throws -> (any QuantizedEnhancer)? {
        guard case .lumen(let contents, let source) = file, QuantizedModelFile.isQuantized(contents.metadata) else { return nil }
        let quantized = try QuantizedModelFile(contents: contents, source: source)
        if let expected, expected != quantized.model {
            throw ModelLoadingError.incompatible(file: source, model: expected.rawValue, reason: "this is an int8 \(quantized.model)")
        }
        return try quantized.enhancer()
    }
}
