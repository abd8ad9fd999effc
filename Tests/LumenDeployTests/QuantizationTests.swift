import Foundation
import Lumen
import LumenDeploy
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// Post-training int8 quantisation of the zoo's curve models: the quality of int8
/// against float on held-out photos, the file format and its refusals, and the
/// layout of concatenations whose parts are not whole quads.
@Suite struct QuantizationTests {
    static let weights = Fixtures.shared("fixtures/official-weights")
    static let calibration = ["train-unpaired/1.jpg", "train-unpaired/886.jpg", "train-unpaired/10.jpg", "train-unpaired/500.jpg"]
        .map(Fixtures.data)
    static let held = ["test/dicm/01.jpg", "test/dicm/17.jpg", "test/dicm/33.jpg", "test/dicm/50.jpg",
                       "test/sci/medium/00001.png", "test/sci/medium/00051.png"].map(Fixtures.data)

    /// A photo at half size (the suite's time; the full-size table is in the README).
    static func photo(_ url: URL) throws -> Tensor {
        let image = try Image(contentsOf: try Fixtures.require(url)).rgb().tensor()
        return image.resizedBilinear(height: image.shape[2] / 2 / 12 * 12, width: image.shape[3] / 2 / 12 * 12, alignCorners: false)
    }

    static func quality(_ float: any TensorEnhancer, _ quantized: any TensorEnhancer) throws -> QuantizationQuality {
        var quality = QuantizationQuality()
        for url in held {
            let image = try photo(url)
            withoutGradients { quality.add(quantized: quantized.enhanced(image), float: float.enhanced(image)) }
        }
        return quality
    }

    /// The targets of issue 16 (at least 45 dB against float, at most 5 % of 8-bit
    /// values more than one level off), met by Zero-DCE both with 8-bit pairs (VNNI)
    /// and with 7-bit activations (AVX2), and by Zero-DCE++ with 8-bit pairs; its
    /// 7-bit weights and SCI are pinned where they stand, below the targets (README,
    /// "int8 quantisation"). Bits: weights, activations.
    @Test(.fixtures(weights), arguments: [
        ("zero-dce", "zero-dce-epoch99.pth", 8, 8, 45.0, 0.05),
        ("zero-dce", "zero-dce-epoch99.pth", 8, 7, 45.0, 0.05),
        ("zero-dce", "zero-dce-epoch99.pth", 7, 8, 40.0, 0.20),
        ("zero-dce-pp", "zero-dce-pp-epoch99.pth", 8, 8, 45.0, 0.05),
        ("zero-dce-pp", "zero-dce-pp-epoch99.pth", 7, 8, 45.0, 0.08),
        ("sci", "sci-medium.pt", 8, 8, 40.0, 0.20),
    ])
    func int8AgainstFloatOnHeldOutPhotos(model: String, file: String, weightBits: Int, activationBits: Int,
                                         worstPSNR: Double, offByMore: Double) throws {
        let bits = "\(weightBits)/\(activationBits)-bit"
        let settings = QuantizationSettings(weightBits: weightBits, activationBits: activationBits)
        let kind = ModelKind(rawValue: model)!
        let float = try kind.load(weights: Self.weights.appendingPathComponent(file))
        let images = try Self.calibration.map(Self.photo)
        let quantized: QuantizedModelFile = switch float {
        case let network as ZeroDCE: QuantizedZeroDCE.quantizing(network, calibratingOn: images, settings: settings)
        case let network as ZeroDCEPlusPlus: QuantizedZeroDCEPlusPlus.quantizing(network, calibratingOn: images, settings: settings)
        default: QuantizedSCI.quantizing(float as! SCI, calibratingOn: images, settings: settings)
        }
        let quality = try Self.quality(float, try quantized.enhancer())
        #expect(quality.worstPSNR >= worstPSNR, "\(model) \(bits): worst PSNR \(quality.worstPSNR) dB, mean \(quality.meanPSNR)")
        #expect(quality.fractionOffByMoreThanOne <= offByMore, "\(model) \(bits): \(quality.fractionOffByMoreThanOne) off by more than one level")
    }

    /// Pruned widths (not multiples of 4) put concatenated parts on quad boundaries
    /// with zero weights between them: a layout slip would give noise, not 35 dB.
    @Test func oddWidthsAreLaidOutInQuads() throws {
        var generator = SplitMix64(seed: 4)
        let model = ZeroDCE(widths: [5, 7, 3, 6, 9, 2], using: &generator)
        let image = Tensor(shape: [1, 3, 19, 23], scalars: (0..<(3 * 19 * 23)).map { _ in Float.random(in: 0...1, using: &generator) })
        let file = QuantizedZeroDCE.quantizing(model, calibratingOn: [image], settings: QuantizationSettings(activationBits: 7))
        let quantized = try QuantizedZeroDCE(file)
        #expect(quantized.widths == [5, 7, 3, 6, 9, 2])
        var quality = QuantizationQuality()
        quality.add(quantized: quantized.enhanced(image), float: withoutGradients { model.enhanced(image) })
        #expect(quality.worstPSNR > 35, "PSNR \(quality.worstPSNR)")
    }

    @Test func weightsArePerChannelSymmetricAndZeroChannelsAreGuarded() {
        let weight = Tensor(shape: [3, 2, 1, 1], scalars: [0.75, -1, 0, 0, 1.5e-12, -2e-12])
        let quantized = QuantizedWeights(weight: weight, bias: Tensor(shape: [3], scalars: [1, 2, 3]), bits: 7)
        #expect(quantized.values == [47, -63, 0, 0, 47, -63])
        #expect(quantized.scales[0] == 1 / 63 && quantized.scales[1] == 1 && quantized.scales[2] == Float(2e-12) / 63)
        #expect(quantized.bits == 7)
        let spread = quantized.spreadingInput(over: [1, 1])
        #expect(spread.shape == [3, 5, 1, 1] && spread.values == [47, 0, 0, 0, -63, 0, 0, 0, 0, 0, 47, 0, 0, 0, -63])
    }

    @Test func theFileRoundTripsWithInt8Weights() throws {
        var generator = SplitMix64(seed: 8)
        let model = SCI(using: &generator)
        let image = Tensor(shape: [1, 3, 9, 11], scalars: (0..<(3 * 9 * 11)).map { _ in Float.random(in: 0...1, using: &generator) })
        let file = QuantizedSCI.quantizing(model, calibratingOn: [image], settings: QuantizationSettings(method: .percentile))
        let (tensors, int8Keys, metadata) = file.encoded()
        let data = Safetensors.encode(tensors, metadata: metadata, int8Keys: int8Keys)
        let read = try QuantizedModelFile(contents: try Safetensors.decode(data, name: "sci-int8.safetensors"), source: "sci-int8.safetensors")
        #expect(read.layers == file.layers && read.activations == file.activations && read.model == .sci)
        #expect(try read.enhancer().enhanced(image).scalars == file.enhancer().enhanced(image).scalars)
        #expect(int8Keys == ["in_conv.weight", "block.weight", "out_conv.weight"])
        let headerLength = Int(data.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        #expect(String(decoding: data.dropFirst(8).prefix(headerLength), as: UTF8.self).contains("\"in_conv.weight\":{\"dtype\":\"I8\""))
    }

    /// Damaged files are refused by name and key, never trapped on.
    @Test func damagedFilesAreRefused() throws {
        var generator = SplitMix64(seed: 9)
        let image = Tensor(shape: [1, 3, 8, 8], scalars: (0..<192).map { _ in Float.random(in: 0...1, using: &generator) })
        let file = QuantizedZeroDCE.quantizing(ZeroDCE(width: 4, using: &generator), calibratingOn: [image], settings: QuantizationSettings(weightBits: 7))
        func refusal(_ change: (inout [String: Tensor], inout [String: String]) -> Void) -> String {
            var (tensors, int8Keys, metadata) = file.encoded()
            change(&tensors, &metadata)
            int8Keys = int8Keys.filter { tensors[$0] != nil }
            do {
                let contents = try Safetensors.decode(Safetensors.encode(tensors, metadata: metadata, int8Keys: int8Keys), name: "bad.safetensors")
                _ = try QuantizedModelFile(contents: contents, source: "bad.safetensors").enhancer()
                return "accepted"
            } catch { return error.localizedDescription }
        }
        #expect(refusal { tensors, _ in tensors["conv3.weight"] = nil }.contains("missing layer conv3"))
        #expect(refusal { tensors, _ in tensors["conv2.weight_scale"] = Tensor(shape: [4], scalars: [1, 0, 1, 1]) }
            .contains("conv2.weight_scale must hold 4 positive finite scales"))
        #expect(refusal { tensors, _ in tensors["x2_x5.zero_point"] = Tensor(300) }.contains("x2_x5 needs a positive finite scale, a maximum of 127 or 255"))
        #expect(refusal { tensors, _ in tensors["conv5.weight"] = Tensor(shape: [4, 3, 3, 3], scalars: Array(repeating: 1, count: 108)) }
            .contains("conv5.weight is [4, 3, 3, 3], not [O, 8, 3, 3]"))
        #expect(refusal { _, metadata in metadata["lumen.model"] = "gain-unet" }.contains("no int8 form of gain-unet"))
        #expect(refusal { _, metadata in metadata["lumen.quantization"] = "int4" }.contains("is not int8"))
        #expect(refusal { _, _ in } == "accepted")
    }
}
