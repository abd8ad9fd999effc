import ArgumentParser
import Foundation
import Lumen
import LumenDeploy
import LumenIO

/// `lumen export`: a zoo model out to ONNX.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a model as an ONNX graph for ONNX Runtime and other runtimes.",
        discussion: """
            The graph reads `input`, a float image [batch, 3, height, width] in [0, 1], and \
            writes `output`; batch, height and width are dynamic. The curve steps are \
            multiplications (no Pow), subnormal weights are flushed to zero, and the model's \
            name, Lumen's version and the weights' metadata are in metadata_props. \
            Exportable so far: \(Self.exportable.map(\.rawValue).joined(separator: ", ")).
            """)

    /// The models with an ONNX graph.
    static let exportable: [ModelKind] = [.zeroDCE, .zeroDCEPlusPlus, .sci, .gainUNet]

    @Argument(help: "The model: \(Self.exportable.map(\.rawValue).joined(separator: ", ")).")
    var model: ModelKind

    @Option(help: "Weights (Lumen safetensors or an official checkpoint) instead of the bundled ones.")
    var weights: String?

    @Option(help: "The file format: onnx.")
    var format: ExportFormat = .onnx

    @Option(name: .shortAndLong, help: "The file to write.")
    var output: String

    @Option(help: "The ONNX operator set: 17 (IR 8) or 13 (IR 7).")
    var opset: Int = 17

    @Option(help: "zero-dce-pp: the curve estimation's downsampling factor.")
    var scale: Int = 12

    func validate() throws {
        guard ONNXOpset(rawValue: opset) != nil else { throw ValidationError("--opset must be 13 or 17, got \(opset)") }
        guard scale >= 1 else { throw ValidationError("--scale must be at least 1, got \(scale)") }
    }

    func run() throws {
        let destination = URL(fileURLWithPath: output)
        var metadata = ["lumen.model": model.rawValue, "lumen.version": lumenVersion]
        let enhancer: any LoadableEnhancer
        if let weights {
            let source = URL(fileURLWithPath: weights)
            try refuseReplacingInput(output: destination, inputs: [source])
            enhancer = try model.load(weights: source, scale: scale)
            metadata["lumen.weights"] = source.lastPathComponent
            if let saved = try? Safetensors.read(contentsOf: source).metadata {
                for (key, value) in saved where metadata[key] == nil { metadata[key] = value }
            }
        } else {
            enhancer = try model.pretrained(scale: scale)
            metadata["lumen.weights"] = "bundled"
        }
        if model == .zeroDCEPlusPlus { metadata["lumen.scale"] = String(scale) }
        guard let exportable = enhancer as? any ONNXExportable else {
            throw ValidationError("\(model) has no ONNX graph yet; exportable: \(Self.exportable.map(\.rawValue).joined(separator: ", "))")
        }
        let onnx: ONNX.Model
        do { onnx = try exportable.onnxModel(name: model.rawValue, opset: ONNXOpset(rawValue: opset)!, metadata: metadata) } catch {
            throw ValidationError("\(model): \(error.reason)")
        }
        try AtomicFile.write(onnx.serialized(), to: destination)
        print("\(model) -> \(output): ONNX opset \(opset), \(onnx.graph.nodes.count) nodes, \(onnx.graph.initializers.count) weights")
    }
}

/// The formats `lumen export` writes.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case onnx
}
