import Lumen
import LumenTensor

/// Zero-DCE with int8 convolutions: the seven 3x3 convolutions run on bytes, the
/// tanh and the eight curve steps in float.
///
/// Each concatenation is one buffer of ``QuantizedActivations`` whose parts the
/// convolutions write in place, so its parts share one quantisation: `x1` with
/// `x6`, `x2` with `x5`, `x3` with `x4` (activations `x1_x6`, `x2_x5`, `x3_x4`).
/// The image is quantised in steps of 1/255, lossless for 8-bit photos.
public final class QuantizedZeroDCE: TensorEnhancer, @unchecked Sendable {
    /// What the model was made from, as stored.
    public let file: QuantizedModelFile
    /// `conv1 ... conv6`'s output channels.
    public let widths: [Int]
    let convolutions: [Int8Convolution]
    /// The quantisations of the three concatenations `(x1, x6)`, `(x2, x5)`, `(x3, x4)`.
    let concatenations: [ActivationQuantization]

    static let layerNames = (1...7).map { "conv\($0)" }
    static let concatenationNames = ["x1_x6", "x2_x5", "x3_x4"]

    /// Builds the runnable model from its file, checking every layer's shape.
    public init(_ file: QuantizedModelFile) throws(ModelLoadingError) {
        self.file = file
        let first = try file.layer("conv1", inChannels: 3, kernelSize: 3)
        var layers = [first]
        var widths = [first.outChannels]
        for (index, input) in [[0], [1], [2], [2, 3], [1, 4]].enumerated() {
            let layer = try file.layer("conv\(index + 2)", inChannels: input.map { widths[$0] }.reduce(0, +), kernelSize: 3)
            layers.append(layer)
            widths.append(layer.outChannels)
        }
        layers.append(try file.layer("conv7", outChannels: 24, inChannels: widths[0] + widths[5], kernelSize: 3))
        let image = try file.activation("input")
        let c = try Self.concatenationNames.map { name throws(ModelLoadingError) in try file.activation(name) }
        let (x16, x25, x34) = (c[0], c[1], c[2])
        convolutions = [
            layers[0].convolution(reading: image, padding: 1, output: x16.bytes(relu: true)),
            layers[1].convolution(reading: x16, padding: 1, output: x25.bytes(relu: true)),
            layers[2].convolution(reading: x25, padding: 1, output: x34.bytes(relu: true)),
            layers[3].convolution(reading: x34, padding: 1, output: x34.bytes(relu: true)),
            layers[4].spreadingInput(over: [widths[2], widths[3]]).convolution(reading: x34, padding: 1, output: x25.bytes(relu: true)),
            layers[5].spreadingInput(over: [widths[1], widths[4]]).convolution(reading: x25, padding: 1, output: x16.bytes(relu: true)),
            layers[6].spreadingInput(over: [widths[0], widths[5]]).convolution(reading: x16, padding: 1, output: .floats),
        ]
        (self.widths, concatenations) = (widths, c)
    }

    /// Quantises `model`: per-channel weights with their biases corrected
    /// (``BiasCorrection``), activations calibrated on `images` (`[1, 3, H, W]` each).
    public static func quantizing(_ model: ZeroDCE, calibratingOn images: [Tensor],
                                  settings: QuantizationSettings) -> QuantizedModelFile {
        let convolutions = [model.conv1, model.conv2, model.conv3, model.conv4, model.conv5, model.conv6, model.conv7]
        let quantized = convolutions.enumerated().map { index, conv in
            QuantizedWeights(weight: conv.weight, bias: conv.bias, bits: settings.weightBits(readingImage: index == 0))
        }
        var observer = ActivationObserver(method: settings.method)
        var correction = BiasCorrection()
        for image in images {
            withoutGradients {
                let x = model.features(image)
                for (index, feature) in x.enumerated() { observer.observe(feature, as: "x\(index + 1)") }
                let inputs = [image, x[0], x[1], x[2], Tensor.concatenated([x[2], x[3]], axis: 1),
                              Tensor.concatenated([x[1], x[4]], axis: 1), Tensor.concatenated([x[0], x[5]], axis: 1)]
                for (index, input) in inputs.enumerated() {
                    correction.add(layerNames[index], input: input, weight: convolutions[index].weight,
                                   quantized: quantized[index], padding: 1)
                }
            }
        }
        let layers = Dictionary(uniqueKeysWithValues: zip(layerNames, quantized).map { name, weights in
            (name, correction.corrected(weights, name))
        })
        let activations = [
            "input": ActivationQuantization.image,
            "x1_x6": observer.quantization(of: "x1", "x6", bits: settings.activationBits),
            "x2_x5": observer.quantization(of: "x2", "x5", bits: settings.activationBits),
            "x3_x4": observer.quantization(of: "x3", "x4", bits: settings.activationBits),
        ]
        return QuantizedModelFile(model: .zeroDCE, layers: layers, activations: activations)
    }

    /// The 24 curve maps (after tanh) of one image `[1, 3, H, W]`.
    func curves(_ image: Tensor) -> Tensor {
        let (buffers, x) = zeroDCEConcatenations(widths: widths, quantizations: concatenations,
                                                 height: image.shape[2], width: image.shape[3])
        let c = convolutions
        c[0](ActivationQuantization.image.quantizing(image, border: 1), into: x[0])
        c[1](x[0], into: x[1])
        c[2](x[1], into: x[2])
        c[3](x[2], into: x[3])
        c[4](buffers[2], into: x[4])
        c[5](buffers[1], into: x[5])
        return c[6].floats(buffers[0]).tanh()
    }

    public func enhanced(_ image: Tensor) -> Tensor {
        eachImage(image) { ZeroDCE.output(image: $0, curves: curves($0)).enhanced }
    }

    /// Seven stacked 3x3 convolutions see 7 pixels in every direction.
    public var receptiveRadius: Int? { 7 }
}

/// The three concatenations of Zero-DCE's wiring, `(x1, x6)`, `(x2, x5)`, `(x3, x4)`,
/// as buffers with a 1-pixel border, and the features `x1 ... x6` as views of them
/// (each second part starting on a quad).
func zeroDCEConcatenations(widths: [Int], quantizations: [ActivationQuantization], height: Int, width: Int)
    -> (buffers: [QuantizedActivations], features: [QuantizedActivations]) {
    let pairs = [(0, 5), (1, 4), (2, 3)]
    var features = [QuantizedActivations?](repeating: nil, count: 6)
    let buffers = zip(pairs, quantizations).map { pair, quantization in
        let start = (widths[pair.0] + 3) / 4 * 4
        let buffer = quantization.activations(channels: start + widths[pair.1], height: height, width: width, border: 1)
        features[pair.0] = buffer.channels(0 ..< widths[pair.0])
        features[pair.1] = buffer.channels(start ..< start + widths[pair.1])
        return buffer
    }
    return (buffers, features.map { $0! })
}

/// `body` applied to each image of the batch `[N, C, H, W]`, the results concatenated.
func eachImage(_ batch: Tensor, _ body: (Tensor) -> Tensor) -> Tensor {
    let count = batch.shape[0]
    if count == 1 { return body(batch) }
    return Tensor.concatenated((0..<count).map { body(batch.sliced(axis: 0, range: $0 ..< $0 + 1)) }, axis: 0)
}
