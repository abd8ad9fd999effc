import Lumen
import LumenTensor

/// Zero-DCE++ with int8 convolutions: each block's depthwise 3x3 and pointwise
/// 1x1 convolutions run on bytes (the depthwise output asymmetric, as it has no
/// ReLU), the resampling, tanh and curve steps in float.
///
/// The concatenations share quantisations as in ``QuantizedZeroDCE``; the
/// downsampled image's range is calibrated too (its averages are not 8-bit values).
public final class QuantizedZeroDCEPlusPlus: TensorEnhancer, @unchecked Sendable {
    public let file: QuantizedModelFile
    /// The downsampling factor of the curve estimation.
    public let scale: Int
    /// `conv1 ... conv6`'s output channels.
    public let widths: [Int]
    /// Per block: the depthwise convolution, its output's quantisation, the pointwise convolution.
    let blocks: [(depthwise: Int8DepthwiseConvolution, middle: ActivationQuantization, pointwise: Int8Convolution)]
    let concatenations: [ActivationQuantization]
    /// The downsampled image's quantisation, calibrated: its values are averages, not 8-bit steps.
    let imageQuantization: ActivationQuantization

    /// Which features each block reads, concatenated: the image (-1), or `x1 ... x6` (0 ... 5).
    static let blockInputs = [[-1], [0], [1], [2], [2, 3], [1, 4], [0, 5]]

    public init(_ file: QuantizedModelFile) throws(ModelLoadingError) {
        self.file = file
        guard let scale = file.metadata["lumen.scale"].flatMap(Int.init), scale >= 1 else {
            throw .incompatible(file: file.source, model: file.model.rawValue, reason: "lumen.scale must be a downsampling factor")
        }
        self.scale = scale
        let c = try QuantizedZeroDCE.concatenationNames.map { name throws(ModelLoadingError) in try file.activation(name) }
        let image = try file.activation("input")
        imageQuantization = image
        // The quantisation each feature x1 ... x6 is written in.
        let featureQuantization = [c[0], c[1], c[2], c[2], c[1], c[0]]
        var widths: [Int] = [], blocks: [(Int8DepthwiseConvolution, ActivationQuantization, Int8Convolution)] = []
        for (index, inputs) in Self.blockInputs.enumerated() {
            let name = "conv\(index + 1)"
            let parts = inputs.map { $0 < 0 ? 3 : widths[$0] }
            let channels = parts.reduce(0, +)
            let depthwise = try file.layer("\(name).depthwise", outChannels: channels, inChannels: 1, kernelSize: 3)
            let pointwise = try file.layer("\(name).pointwise", outChannels: index == 6 ? 3 : nil, inChannels: channels, kernelSize: 1)
            let middle = try file.activation("\(name).depthwise")
            let input = inputs[0] < 0 ? image : featureQuantization[inputs[0]]
            let output: Int8ConvolutionOutput = index == 6 ? .floats : featureQuantization[index].bytes(relu: true)
            blocks.append((depthwise.spreadingChannels(over: parts).depthwiseConvolution(reading: input, padding: 1, output: middle),
                           middle, pointwise.spreadingInput(over: parts).convolution(reading: middle, padding: 0, output: output)))
            if index < 6 { widths.append(pointwise.outChannels) }
        }
        (self.widths, self.blocks, concatenations) = (widths, blocks, c)
    }

    /// Quantises `model`, calibrating on the downsampled `images` (`[1, 3, H, W]`,
    /// multiples of the model's scale).
    public static func quantizing(_ model: ZeroDCEPlusPlus, calibratingOn images: [Tensor],
                                  settings: QuantizationSettings) -> QuantizedModelFile {
        // Depthwise sums have no pairs to saturate, and the pointwise layers read the
        // depthwise outputs: every layer takes the full weight width.
        let weightBits = settings.weightBits
        // Bias correction undoes the mean shift of rounded weights, measured with float
        // inputs. The depthwise layers always gain from it. The pointwise ones gain with
        // 7-bit weights, but with 8-bit weights their shift is small against the error
        // of the depthwise outputs' bytes they read, and correcting it on the
        // calibration photos made held-out photos worse (README, "int8 quantisation").
        let correctsPointwise = weightBits < 8
        let blocks = [model.conv1, model.conv2, model.conv3, model.conv4, model.conv5, model.conv6, model.conv7]
        let depthwise = blocks.map { QuantizedWeights(weight: $0.depthwise.weight, bias: $0.depthwise.bias, bits: weightBits) }
        let pointwise = blocks.map { QuantizedWeights(weight: $0.pointwise.weight, bias: $0.pointwise.bias, bits: weightBits) }
        var observer = ActivationObserver(method: settings.method)
        var correction = BiasCorrection()
        for image in images {
            withoutGradients {
                let small = model.resampling.downsampled(model.cropped(image))
                let x = model.features(small)
                observer.observe(small, as: "input")
                for (index, feature) in x.enumerated() { observer.observe(feature, as: "x\(index + 1)") }
                for (index, inputs) in blockInputs.enumerated() {
                    let name = "conv\(index + 1)", block = blocks[index]
                    let input = Tensor.concatenated(inputs.map { $0 < 0 ? small : x[$0] }, axis: 1)
                    let middle = block.depthwise(input)
                    observer.observe(middle, as: "\(name).depthwise")
                    correction.add("\(name).depthwise", input: input, weight: block.depthwise.weight, quantized: depthwise[index],
                                   padding: 1, groups: input.shape[1])
                    if correctsPointwise {
                        correction.add("\(name).pointwise", input: middle, weight: block.pointwise.weight,
                                       quantized: pointwise[index], padding: 0)
                    }
                }
            }
        }
        var layers: [String: QuantizedWeights] = [:]
        var activations = [
            "input": observer.quantization(of: "input"),
            "x1_x6": observer.quantization(of: "x1", "x6", bits: settings.activationBits),
            "x2_x5": observer.quantization(of: "x2", "x5", bits: settings.activationBits),
            "x3_x4": observer.quantization(of: "x3", "x4", bits: settings.activationBits),
        ]
        for index in blocks.indices {
            let name = "conv\(index + 1)"
            layers["\(name).depthwise"] = correction.corrected(depthwise[index], "\(name).depthwise")
            layers["\(name).pointwise"] = correction.corrected(pointwise[index], "\(name).pointwise")
            activations["\(name).depthwise"] = observer.quantization(of: "\(name).depthwise", bits: settings.activationBits)
        }
        return QuantizedModelFile(model: .zeroDCEPlusPlus, layers: layers, activations: activations,
                                  metadata: ["lumen.scale": String(model.scale)])
    }

    /// The curve map (after tanh) of one downsampled image `[1, 3, h, w]`.
    func curveNetwork(_ small: Tensor) -> Tensor {
        let height = small.shape[2], width = small.shape[3]
        let (buffers, features) = zeroDCEConcatenations(widths: widths, quantizations: concatenations, height: height, width: width)
        let inputs = [imageQuantization.quantizing(small, border: 1), features[0], features[1], features[2],
                      buffers[2], buffers[1], buffers[0]]
        for (index, block) in blocks.enumerated() {
            let middle = block.middle.activations(channels: block.depthwise.channels, height: height, width: width, border: 0)
            block.depthwise(inputs[index], into: middle)
            if index == 6 { return block.pointwise.floats(middle).tanh() }
            block.pointwise(middle, into: features[index])
        }
        preconditionFailure("unreachable: the seventh block returns")
    }

    public func enhanced(_ image: Tensor) -> Tensor {
        eachImage(image) { CurveResampling(scale: scale).enhanced($0, curveNetwork: curveNetwork) }
    }

    public func sizeProblem(height: Int, width: Int) -> String? { CurveResampling(scale: scale).sizeProblem(height: height, width: width) }

    /// The curve grid spans the whole image; ``enhancedInTiles(_:tileSize:progress:)`` tiles exactly.
    public var receptiveRadius: Int? { nil }

    public func enhancedInTiles(_ image: Tensor, tileSize: Int, progress: (Int, Int) -> Void) -> Tensor {
        eachImage(image) { CurveResampling(scale: scale).enhancedInTiles($0, tileSize: tileSize, curveNetwork: curveNetwork, progress: progress) }
    }
}
