import Foundation
import Lumen
import LumenDeploy
import LumenIO
import LumenTensor
import Testing

@Suite struct ONNXExportTests {
    @Test func zeroDCEIsSevenConvolutionsAndEightCurveSteps() throws {
        var generator = SplitMix64(seed: 3)
        let model = ZeroDCE(using: &generator)
        let onnx = try ONNX.Model.decode(try model.onnxModel(name: "zero-dce", metadata: ["lumen.model": "zero-dce"]).serialized(),
                                         name: "zero-dce.onnx")
        let ops = onnx.graph.nodes.map(\.opType)
        #expect(ops.filter { $0 == "Conv" }.count == 7)
        #expect(ops.filter { $0 == "Mul" }.count == 16 && !ops.contains("Pow"), "x·x and r·(…) in each of 8 steps")
        #expect(onnx.irVersion == 8 && onnx.operatorSets == [ONNX.OperatorSet(version: 17)])
        #expect(onnx.graph.inputs == [ONNX.ValueInfo(name: "input", elementType: 1,
                                                     shape: [.parameter("batch"), .value(3), .parameter("height"), .parameter("width")])])
        #expect(onnx.graph.outputs.map(\.name) == ["output"] && onnx.graph.nodes.last?.outputs == ["output"])
        #expect(onnx.metadata.contains(ONNX.MetadataEntry(key: "lumen.model", value: "zero-dce")))
        let weight = try #require(onnx.graph.initializers.first { $0.name == "conv1.weight" })
        #expect(weight.dims == [32, 3, 3, 3] && weight.floatValues() == model.conv1.weight.scalars)
        #expect(onnx.producerVersion == lumenVersion)
    }

    @Test func subnormalWeightsAreFlushed() throws {
        let tiny = Tensor(shape: [2], scalars: [Float.leastNormalMagnitude / 4, 0.5])
        var builder = ONNXGraphBuilder(name: "g")
        _ = builder.initializer(tiny, name: "t")
        #expect(builder.graph.initializers[0].floatValues() == [0, 0.5])
    }

    @Test func zeroDCEPlusPlusPadsToItsScaleAndCropsBack() throws {
        var generator = SplitMix64(seed: 5)
        let onnx = try ZeroDCEPlusPlus(scale: 12, using: &generator).onnxModel(name: "zero-dce-pp", opset: .v13)
        let ops = onnx.graph.nodes.map(\.opType)
        #expect(ops.filter { $0 == "Conv" }.count == 14 && ops.filter { $0 == "Resize" }.count == 2)
        #expect(ops.contains("Pad") && ops.suffix(2) == ["Slice", "Identity"], "padded, and cropped just before the output")
        #expect(onnx.irVersion == 7 && onnx.operatorSets[0].version == 13)
        let unscaled = try ZeroDCEPlusPlus(scale: 1, using: &generator).onnxModel(name: "zero-dce-pp")
        #expect(!unscaled.graph.nodes.contains { $0.opType == "Resize" || $0.opType == "Pad" })
    }

    @Test func aWhiteBalancingGainUNetIsRefused() {
        var generator = SplitMix64(seed: 6)
        let model = GainUNet(mode: .gamma, balancesWhite: true, using: &generator)
        #expect(throws: ONNXExportError.self) { try model.onnxModel(name: "gain-unet") }
        #expect(throws: Never.self) { try GainUNet(mode: .gain, using: &generator).onnxModel(name: "gain-unet") }
    }
}
