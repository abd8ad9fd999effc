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
            The graph reads `input`, a float image [batch, channels, height, width] in [0, 1], and \
            writes `output`; batch, height and width are dynamic. The channels are the model's own: \
            RGB for the enhancers and the auto-encoder, one plane for the Y-only ESPCN and the gray \
            DnCNN (colour conversion stays outside the graph); matting-unet writes the alpha \
            [batch, 1, height, width], of the plain model or with --low-light of the one with a \
            low-light front end (one graph is one model: choosing by brightness, as `lumen matte \
            --low-light auto` does, is the caller's). The curve steps are multiplications \
            (no Pow), PixelShuffle is DepthToSpace in CRD order, subnormal weights are flushed to \
            zero, and the model's name, Lumen's version and the weights' metadata are in \
            metadata_props. Exportable: \(ExportableModel.allNames.joined(separator: ", ")).
            """)

    @Argument(help: "The model: \(ExportableModel.allNames.joined(separator: ", ")).")
    var model: ExportableModel

    @Option(help: "Weights (Lumen safetensors or an official checkpoint) instead of the bundled ones.")
    var weights: String?

    @Option(help: "The file format: onnx.")
    var format: ExportFormat = .onnx

    @Option(name: .shortAndLong, help: "The file to write.")
    var output: String

    @Option(help: "The ONNX operator set: 17 (IR 8) or 13 (IR 7).")
    var opset: Int = 17

    @Option(help: "zero-dce-pp: the curve estimation's downsampling factor (default 12); espcn: the enlargement (default 3, or the scale of --weights).")
    var scale: Int?

    @Option(help: "dncnn, denoise-ae: the noise level σ of the bundled weights (default 25).")
    var sigma: Int?

    @Flag(help: "matting-unet: the bundled model with the low-light front end instead of the plain one.")
    var lowLight = false

    func validate() throws {
        guard ONNXOpset(rawValue: opset) != nil else { throw ValidationError("--opset must be 13 or 17, got \(opset)") }
        if let scale, !(1...16).contains(scale) { throw ValidationError("--scale must be in 1...16, got \(scale)") }
        switch model {
        case .enhancement(.zeroDCEPlusPlus), .restoration(.espcn): break
        default: if scale != nil { throw ValidationError("--scale is for zero-dce-pp and espcn, not \(model)") }
        }
        if lowLight {
            guard case .matting = model else { throw ValidationError("--low-light is for matting-unet, not \(model)") }
            guard weights == nil else {
                throw ValidationError("--low-light chooses the bundled matting-unet with a front end; weights given with --weights have their own")
            }
        }
        if sigma != nil {
            guard case .restoration(let kind) = model, kind.task == .denoising else {
                throw ValidationError("--sigma is for the denoisers (dncnn, denoise-ae), not \(model)")
            }
            guard weights == nil else {
                throw ValidationError("--sigma chooses among the bundled weights; weights given with --weights have their own noise level")
            }
        }
    }

    func run() throws {
        let destination = URL(fileURLWithPath: output)
        var metadata = ["lumen.model": model.description, "lumen.version": lumenVersion]
        let source = weights.map { URL(fileURLWithPath: $0) }
        var safetensors: Safetensors.Contents?
        if let source {
            try refuseReplacingInput(output: destination, inputs: [source])
            metadata["lumen.weights"] = source.lastPathComponent
            safetensors = try? Safetensors.read(contentsOf: source)
            for (key, value) in safetensors?.metadata ?? [:] where metadata[key] == nil { metadata[key] = value }
        } else {
            metadata["lumen.weights"] = "bundled"
        }
        let exportable: any ONNXExportable
        if let source, let safetensors, QuantizedModelFile.isQuantized(safetensors.metadata) {
            // An int8 file (`lumen quantize`) becomes a QDQ graph of its own values.
            let file = try QuantizedModelFile(contents: safetensors, source: source.relativePath)
            guard case .enhancement(let kind) = model, kind == file.model else {
                throw ValidationError("\(source.relativePath) is an int8 \(file.model), not \(model)")
            }
            exportable = try Self.graph(of: try file.enhancer(), model)
        } else {
            exportable = try floatGraph(source: source, metadata: &metadata)
        }
        let onnx: ONNX.Model
        do { onnx = try exportable.onnxModel(name: model.description, opset: ONNXOpset(rawValue: opset)!, metadata: metadata) } catch {
            throw ValidationError("\(model): \(error.reason)")
        }
        try AtomicFile.write(onnx.serialized(), to: destination)
        print("\(model) -> \(output): ONNX opset \(opset), \(onnx.graph.nodes.count) nodes, \(onnx.graph.initializers.count) weights")
    }

    /// The float model of `--weights` (or the bundled weights) as an exportable graph.
    private func floatGraph(source: URL?, metadata: inout [String: String]) throws -> any ONNXExportable {
        let exportable: any ONNXExportable
        switch model {
        case .enhancement(let kind):
            let scale = scale ?? 12
            let enhancer = try source.map { try kind.load(weights: $0, scale: scale) } ?? kind.pretrained(scale: scale)
            if kind == .zeroDCEPlusPlus { metadata["lumen.scale"] = String(scale) }
            exportable = try Self.graph(of: enhancer, model)
        case .restoration(let kind):
            let restorer = try source.map { try kind.load(weights: $0, scale: scale) }
                ?? kind.pretrained(kind == .espcn ? scale ?? 3 : sigma ?? 25)
            if kind == .espcn { metadata["lumen.scale"] = String(restorer.scaleFactor) }
            metadata[colorModelMetadataKey] = restorer.colorModel.rawValue
            exportable = try Self.graph(of: restorer, model)
        case .matting:
            let matting = try source.map { try MattingUNet.load(from: $0) } ?? MattingUNet.pretrained(frontEnd: lowLight ? .zeroDCEPlusPlus : .none)
            metadata[MattingUNet.frontEndMetadataKey] = matting.frontEndKind.rawValue
            exportable = matting
        }
        return exportable
    }

    private static func graph(of model: Any, _ name: ExportableModel) throws -> any ONNXExportable {
        guard let exportable = model as? any ONNXExportable else {
            throw ValidationError("\(name) has no ONNX graph yet; exportable: \(ExportableModel.allNames.joined(separator: ", "))")
        }
        return exportable
    }
}

/// A model `lumen export` can write: an enhancer or a restoration model whose
/// Lumen form has an ONNX graph, or the matting U-Net.
enum ExportableModel: ExpressibleByArgument, CustomStringConvertible {
    case enhancement(ModelKind)
    case restoration(RestorationModelKind)
    case matting

    init?(argument: String) {
        if argument == MattingUNet.modelName { self = .matting }
        else if let kind = ModelKind(rawValue: argument) { self = .enhancement(kind) }
        else if let kind = RestorationModelKind(rawValue: argument) { self = .restoration(kind) }
        else { return nil }
        guard Self.all.contains(where: { $0.description == argument }) else { return nil }
    }

    /// Every model with a graph, found by asking each model's class, so that the list
    /// cannot drift from the conformances. Only the classes: every `lumen` command line
    /// builds this list (the help of every subcommand is made when parsing), and
    /// building the models took 0.45 s.
    static let all: [ExportableModel] =
        ModelKind.allCases.filter { $0.modelType is any ONNXExportable.Type }.map(ExportableModel.enhancement)
        + RestorationModelKind.allCases.filter { $0.modelType is any ONNXExportable.Type }.map(ExportableModel.restoration)
        + [.matting]

    static var allNames: [String] { all.map(\.description) }
    static var allValueStrings: [String] { allNames }

    var description: String {
        switch self {
        case .enhancement(let kind): kind.rawValue
        case .restoration(let kind): kind.rawValue
        case .matting: MattingUNet.modelName
        }
    }
}

/// The formats `lumen export` writes.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case onnx
}
