import Foundation
import Lumen
import LumenIO

/// A model that can write its forward pass as an ONNX graph (`lumen export`).
///
/// The graph's contract is the same for every model: one float input `input`
/// `[batch, channels, height, width]` in `[0, 1]` and one output `output`, with the
/// batch, height and width dynamic. The channels are the model's own: RGB for the
/// enhancers, and for restoration models whatever their colour model gives (one
/// plane for the Y-only ESPCN and the gray DnCNN); colour conversion stays outside
/// the graph, as it does in Lumen.
public protocol ONNXExportable {
    /// Emits the forward pass reading `input` and returns the name of its result.
    /// - Throws: ``ONNXExportError`` for a configuration that has no exact graph.
    func emitONNX(into builder: inout ONNXGraphBuilder, input: String) throws(ONNXExportError) -> String
    /// How many times larger the output is than the input (1 but for upscalers).
    var onnxOutputScale: Int { get }
    /// The input's channels.
    var onnxInputChannels: Int { get }
    /// The output's channels.
    var onnxOutputChannels: Int { get }
}

extension ONNXExportable {
    public var onnxOutputScale: Int { 1 }
    public var onnxInputChannels: Int { 3 }
    public var onnxOutputChannels: Int { 3 }
}

/// The ONNX versions Lumen writes: opset 17 with IR 8 by default, or opset 13 with
/// IR 7 for older runtimes.
public enum ONNXOpset: Int, CaseIterable, Sendable {
    case v13 = 13
    case v17 = 17

    /// The IR version that goes with the opset.
    var irVersion: Int64 { self == .v17 ? 8 : 7 }
}

extension ONNXExportable {
    /// The model as an ONNX model: the graph, the operator set, and `metadata`
    /// (the model's name, Lumen's version, the weights' metadata) in `metadata_props`.
    /// - Throws: ``ONNXExportError`` for a configuration that has no exact graph.
    public func onnxModel(name: String, opset: ONNXOpset = .v17, metadata: [String: String] = [:]) throws(ONNXExportError) -> ONNX.Model {
        var builder = ONNXGraphBuilder(name: name)
        builder.imageInput("input", channels: onnxInputChannels)
        let result = try emitONNX(into: &builder, input: "input")
        builder.output(result, as: "output")
        builder.imageOutput("output", channels: onnxOutputChannels, scale: onnxOutputScale)
        return ONNX.Model(irVersion: opset.irVersion, operatorSets: [ONNX.OperatorSet(version: Int64(opset.rawValue))],
                          producerName: "lumen", producerVersion: lumenVersion, graph: builder.graph,
                          metadata: metadata.sorted { $0.key < $1.key }.map { ONNX.MetadataEntry(key: $0.key, value: $0.value) })
    }
}

/// Why a model cannot be written as an ONNX graph.
public struct ONNXExportError: Error, LocalizedError, Equatable, Sendable {
    /// The problem in words.
    public let reason: String

    public init(_ reason: String) { self.reason = reason }

    public var errorDescription: String? { reason }
}
