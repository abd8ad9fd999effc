import Lumen
import LumenNN
import LumenTensor

/// SCI with int8 convolutions: `in_conv`, the residual block (its batch norm
/// folded into the convolution) and `out_conv` run on bytes, the residual sums
/// requantised element-wise, the sigmoid, illumination and division in float.
public final class QuantizedSCI: TensorEnhancer, @unchecked Sendable {
    public let file: QuantizedModelFile
    /// Feature channels (3 officially) and residual block applications (1).
    public let channels, layers: Int
    let inConv: Int8Convolution
    /// Per application: the block convolution, its output's and the sum's quantisation.
    let blocks: [(convolution: Int8Convolution, block: ActivationQuantization, sum: ActivationQuantization)]
    let outConv: Int8Convolution
    let features0: ActivationQuantization

    public init(_ file: QuantizedModelFile) throws(ModelLoadingError) {
        self.file = file
        guard let layers = file.metadata["lumen.layers"].flatMap(Int.init), (1...64).contains(layers) else {
            throw .incompatible(file: file.source, model: file.model.rawValue, reason: "lumen.layers must count the residual blocks")
        }
        let inLayer = try file.layer("in_conv", inChannels: 3, kernelSize: 3)
        let channels = inLayer.outChannels
        let block = try file.layer("block", outChannels: channels, inChannels: channels, kernelSize: 3)
        let outLayer = try file.layer("out_conv", outChannels: 3, inChannels: channels, kernelSize: 3)
        features0 = try file.activation("features0")
        inConv = inLayer.convolution(reading: try file.activation("input"), padding: 1, output: features0.bytes(relu: true))
        var blocks: [(Int8Convolution, ActivationQuantization, ActivationQuantization)] = []
        var input = features0
        for layer in 1...layers {
            let output = try file.activation("block\(layer)"), sum = try file.activation("features\(layer)")
            blocks.append((block.convolution(reading: input, padding: 1, output: output.bytes(relu: true)), output, sum))
            input = sum
        }
        outConv = outLayer.convolution(reading: input, padding: 1, output: .floats)
        (self.channels, self.layers, self.blocks) = (channels, layers, blocks)
    }

    /// Quantises `model`, calibrating on `images` (`[1, 3, H, W]` each).
    public static func quantizing(_ model: SCI, calibratingOn images: [Tensor],
                                  settings: QuantizationSettings) -> QuantizedModelFile {
        let (blockWeight, blockBias) = folded(model.blockConv, model.blockNorm)
        let floats = [("in_conv", model.inConv.weight, model.inConv.bias), ("block", blockWeight, blockBias),
                      ("out_conv", model.outConv.weight, model.outConv.bias)]
        let quantized = floats.map { QuantizedWeights(weight: $0.1, bias: $0.2, bits: settings.weightBits(readingImage: $0.0 == "in_conv")) }
        var observer = ActivationObserver(method: settings.method)
        var correction = BiasCorrection()
        for image in images {
            withoutGradients {
                let features = model.features(image)
                for (index, feature) in features.enumerated() {
                    observer.observe(feature, as: "features\(index)")
                    if index > 0 { observer.observe(feature - features[index - 1], as: "block\(index)") }
                }
                correction.add("in_conv", input: image, weight: floats[0].1, quantized: quantized[0], padding: 1)
                for feature in features.dropLast() {
                    correction.add("block", input: feature, weight: floats[1].1, quantized: quantized[1], padding: 1)
                }
                correction.add("out_conv", input: features.last!, weight: floats[2].1, quantized: quantized[2], padding: 1)
            }
        }
        let bits = settings.activationBits
        var activations = ["input": ActivationQuantization.image, "features0": observer.quantization(of: "features0", bits: bits)]
        for layer in 1...model.layers {
            activations["block\(layer)"] = observer.quantization(of: "block\(layer)", bits: bits)
            activations["features\(layer)"] = observer.quantization(of: "features\(layer)", bits: bits)
        }
        let layers = Dictionary(uniqueKeysWithValues: zip(floats, quantized).map { float, weights in
            (float.0, correction.corrected(weights, float.0))
        })
        return QuantizedModelFile(model: .sci, layers: layers, activations: activations,
                                  metadata: ["lumen.layers": String(model.layers)])
    }

    /// `norm(conv(x))` (inference statistics) as one convolution's weight and bias.
    static func folded(_ conv: Conv2d, _ norm: BatchNorm2d) -> (Tensor, Tensor) {
        let mean = norm.runningMean.value.scalars, variance = norm.runningVariance.value.scalars
        let gamma = norm.weight?.scalars ?? Array(repeating: 1, count: mean.count)
        let beta = norm.bias?.scalars ?? Array(repeating: 0, count: mean.count)
        let bias = conv.bias?.scalars ?? Array(repeating: 0, count: mean.count)
        let factor = (0..<mean.count).map { gamma[$0] / (variance[$0] + norm.epsilon).squareRoot() }
        let perChannel = conv.weight.shape.elementCount / mean.count
        let weight = conv.weight.scalars.enumerated().map { $1 * factor[$0 / perChannel] }
        let foldedBias = (0..<mean.count).map { (bias[$0] - mean[$0]) * factor[$0] + beta[$0] }
        return (Tensor(shape: conv.weight.shape, scalars: weight), Tensor(shape: [mean.count], scalars: foldedBias))
    }

    func illumination(_ image: Tensor) -> Tensor {
        let height = image.shape[2], width = image.shape[3]
        var features = features0.activations(channels: channels, height: height, width: width, border: 1)
        inConv(ActivationQuantization.image.quantizing(image, border: 1), into: features)
        for block in blocks {
            let output = block.block.activations(channels: channels, height: height, width: width, border: 0)
            block.convolution(features, into: output)
            let sum = block.sum.activations(channels: channels, height: height, width: width, border: 1)
            features.adding(output, into: sum)
            features = sum
        }
        return SCI.illumination(image, residual: outConv.floats(features))
    }

    public func enhanced(_ image: Tensor) -> Tensor {
        eachImage(image) { SCI.output($0, illumination: illumination($0)).enhanced }
    }

    /// `2 + layers` stacked 3x3 convolutions.
    public var receptiveRadius: Int? { 2 + layers }
}
