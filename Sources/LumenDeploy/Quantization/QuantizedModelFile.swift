import Foundation
import Lumen
import LumenIO
import LumenTensor

/// An int8 model as stored in safetensors: its layers' quantised weights, its
/// activations' quantisation, and where it came from.
///
/// Keys: `LAYER.weight` (I8, `[O, C, k, k]`), `LAYER.weight_scale` and `LAYER.bias`
/// (F32, `[O]`), `ACTIVATION.scale`, `ACTIVATION.zero_point` and `ACTIVATION.maximum`
/// (F32 scalars; the largest byte, 255 or 127).
/// Metadata: `lumen.model`, `lumen.quantization` = `int8`, and free-form
/// `lumen.calibration` and (Zero-DCE++) `lumen.scale`.
public struct QuantizedModelFile: Sendable {
    /// The metadata key whose presence marks an int8 file.
    public static let quantizationMetadataKey = "lumen.quantization"

    public var model: ModelKind
    public var layers: [String: QuantizedWeights]
    public var activations: [String: ActivationQuantization]
    /// Further `lumen.` metadata (calibration, Zero-DCE++'s scale).
    public var metadata: [String: String]
    /// The file's name in messages.
    public var source: String

    public init(model: ModelKind, layers: [String: QuantizedWeights], activations: [String: ActivationQuantization],
                metadata: [String: String] = [:], source: String = "quantised model") {
        (self.model, self.layers, self.activations, self.metadata, self.source) = (model, layers, activations, metadata, source)
    }

    /// Whether the safetensors contents are an int8 model.
    public static func isQuantized(_ metadata: [String: String]) -> Bool { metadata[quantizationMetadataKey] != nil }

    /// Reads and checks an int8 model: every layer's integers, positive finite
    /// scales and finite biases of matching counts, and zero points that are bytes.
    /// - Throws: ``ModelLoadingError`` naming the file and the key.
    public init(contents: Safetensors.Contents, source: String) throws(ModelLoadingError) {
        let (tensors, metadata, integerKeys) = contents
        guard let name = metadata[modelMetadataKey], let model = ModelKind(rawValue: name) else {
            throw .invalidWeights(message: "\(source): an int8 file must name its model in \(modelMetadataKey)")
        }
        guard metadata[Self.quantizationMetadataKey] == "int8" else {
            throw .incompatible(file: source, model: name, reason: "quantisation '\(metadata[Self.quantizationMetadataKey] ?? "")' is not int8")
        }
        func fail(_ reason: String) -> ModelLoadingError { .incompatible(file: source, model: name, reason: reason) }
        var layers: [String: QuantizedWeights] = [:], activations: [String: ActivationQuantization] = [:]
        for key in tensors.keys.sorted() {
            if key.hasSuffix(".weight") {
                let layer = String(key.dropLast(".weight".count))
                let weight = tensors[key]!
                guard integerKeys.contains(key), weight.shape.rank == 4, weight.shape[2] == weight.shape[3],
                      weight.scalars.allSatisfy({ (-127...127).contains($0) }) else {
                    throw fail("\(key) must be int8 [O, C, k, k] in -127...127, got \(weight.shape)")
                }
                let count = weight.shape[0]
                guard let scales = tensors["\(layer).weight_scale"], scales.shape == [count],
                      scales.scalars.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                    throw fail("\(layer).weight_scale must hold \(count) positive finite scales")
                }
                guard let bias = tensors["\(layer).bias"], bias.shape == [count], bias.scalars.allSatisfy(\.isFinite) else {
                    throw fail("\(layer).bias must hold \(count) finite values")
                }
                layers[layer] = QuantizedWeights(values: weight.scalars.map { Int8($0) }, shape: weight.shape.dimensions,
                                                 scales: scales.scalars, bias: bias.scalars)
            } else if key.hasSuffix(".scale") {
                let activation = String(key.dropLast(".scale".count))
                guard let scale = tensors[key]?.scalars, scale.count == 1, scale[0] > 0, scale[0].isFinite,
                      let maximum = tensors["\(activation).maximum"]?.scalars, maximum.count == 1, [127, 255].contains(maximum[0]),
                      let zero = tensors["\(activation).zero_point"]?.scalars, zero.count == 1,
                      (0...maximum[0]).contains(zero[0]), zero[0] == zero[0].rounded() else {
                    throw fail("\(activation) needs a positive finite scale, a maximum of 127 or 255 and a zero point up to it")
                }
                activations[activation] = ActivationQuantization(scale: scale[0], zeroPoint: UInt8(zero[0]), maximum: UInt8(maximum[0]))
            }
        }
        let extra = metadata.filter { $0.key != modelMetadataKey && $0.key != Self.quantizationMetadataKey }
        self.init(model: model, layers: layers, activations: activations, metadata: extra, source: source)
    }

    /// Reads the int8 model at `url`.
    public init(contentsOf url: URL) throws(ModelLoadingError) {
        let contents: Safetensors.Contents
        do { contents = try Safetensors.read(contentsOf: url) } catch { throw .invalidWeights(message: error.localizedDescription) }
        try self.init(contents: contents, source: url.relativePath)
    }

    /// The weights of `layer`, checked to be `[outChannels, inChannels, k, k]`.
    public func layer(_ name: String, outChannels: Int? = nil, inChannels: Int? = nil, kernelSize: Int) throws(ModelLoadingError) -> QuantizedWeights {
        guard let layer = layers[name] else { throw .incompatible(file: source, model: model.rawValue, reason: "missing layer \(name)") }
        guard outChannels.map({ $0 == layer.outChannels }) ?? true, inChannels.map({ $0 == layer.inChannels }) ?? true,
              layer.kernelSize == kernelSize else {
            let expected = "[\(outChannels.map(String.init) ?? "O"), \(inChannels.map(String.init) ?? "C"), \(kernelSize), \(kernelSize)]"
            throw .incompatible(file: source, model: model.rawValue, reason: "\(name).weight is \(layer.shape), not \(expected)")
        }
        return layer
    }

    /// The quantisation of `activation`.
    public func activation(_ name: String) throws(ModelLoadingError) -> ActivationQuantization {
        guard let activation = activations[name] else {
            throw .incompatible(file: source, model: model.rawValue, reason: "missing activation \(name).scale")
        }
        return activation
    }

    /// The safetensors tensors, the keys stored as I8, and the metadata.
    public func encoded() -> (tensors: [String: Tensor], int8Keys: Set<String>, metadata: [String: String]) {
        var tensors: [String: Tensor] = [:]
        for (name, layer) in layers {
            tensors["\(name).weight"] = Tensor(shape: Shape(layer.shape), scalars: layer.values.map(Float.init))
            tensors["\(name).weight_scale"] = Tensor(shape: [layer.outChannels], scalars: layer.scales)
            tensors["\(name).bias"] = Tensor(shape: [layer.outChannels], scalars: layer.bias)
        }
        for (name, activation) in activations {
            tensors["\(name).scale"] = Tensor(activation.scale)
            tensors["\(name).zero_point"] = Tensor(Float(activation.zeroPoint))
            tensors["\(name).maximum"] = Tensor(Float(activation.maximum))
        }
        let metadata = metadata.merging([modelMetadataKey: model.rawValue, Self.quantizationMetadataKey: "int8"]) { $1 }
        return (tensors, Set(layers.keys.map { "\($0).weight" }), metadata)
    }

    /// Writes the model to `url` atomically.
    public func write(to url: URL) throws(AtomicFileError) {
        let (tensors, int8Keys, metadata) = encoded()
        try Safetensors.write(tensors, metadata: metadata, int8Keys: int8Keys, to: url)
    }

    /// The runnable int8 model.
    public func enhancer() throws(ModelLoadingError) -> any QuantizedEnhancer {
        switch model {
        case .zeroDCE: try QuantizedZeroDCE(self)
        case .zeroDCEPlusPlus: try QuantizedZeroDCEPlusPlus(self)
        case .sci: try QuantizedSCI(self)
        default: throw .incompatible(file: source, model: model.rawValue, reason: "Lumen has no int8 form of \(model)")
        }
    }
}

/// A runnable int8 model: ``QuantizedZeroDCE``, ``QuantizedZeroDCEPlusPlus`` or ``QuantizedSCI``.
public protocol QuantizedEnhancer: TensorEnhancer {
    /// What the model was made from, as stored.
    var file: QuantizedModelFile { get }
}

extension QuantizedZeroDCE: QuantizedEnhancer {}
extension QuantizedZeroDCEPlusPlus: QuantizedEnhancer {}
extension QuantizedSCI: QuantizedEnhancer {}
