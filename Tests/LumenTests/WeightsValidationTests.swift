import Foundation
@testable import Lumen
import LumenIO
import LumenNN
import LumenTensor
import LumenTestSupport
import Testing

/// Weights are finite floating-point numbers of the right model, whatever the file claims.
@Suite struct WeightsValidationTests {
    /// Zero-DCE++'s weights as Lumen safetensors, with `edit` applied to the tensors.
    private func weightsFile(in folder: URL, _ edit: (inout [String: Tensor]) -> Void = { _ in }) throws -> URL {
        var tensors: [String: Tensor] = [:]
        for (key, tensor) in try ModelKind.zeroDCEPlusPlus.pretrained().stateDict() { tensors[key] = tensor.copied() }
        edit(&tensors)
        let url = folder.appendingPathComponent("weights.safetensors")
        try Safetensors.write(tensors, metadata: [modelMetadataKey: "zero-dce-pp"], to: url)
        return url
    }

    @Test(arguments: [Float.nan, .infinity])
    func nonFiniteWeightsAreRefusedNamingFileAndKey(bad: Float) throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try weightsFile(in: folder) { tensors in
            let weight = tensors["conv1.pointwise.weight"]!
            var scalars = weight.scalars
            scalars[7] = bad
            tensors["conv1.pointwise.weight"] = Tensor(shape: weight.shape, scalars: scalars)
        }
        let error = try #require(throws: ModelLoadingError.self) { try ModelKind.zeroDCEPlusPlus.load(weights: url) }
        #expect(error.localizedDescription.contains("weights.safetensors"))
        #expect(error.localizedDescription.contains("conv1.pointwise.weight: element 7 is"), "\(error.localizedDescription)")
    }

    @Test func integerTensorsAreNotWeights() throws {
        var generator = SplitMix64(seed: 0)
        let model = ZeroDCEPlusPlus(using: &generator)
        let tensors = Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.key, $0.tensor) })
        let contents: Safetensors.Contents = (tensors, [:], ["conv1.pointwise.bias"])
        let error = try #require(throws: ModelLoadingError.self) {
            try WeightsFile.lumen(contents, source: "ints.safetensors").load(into: model, modelName: "zero-dce-pp")
        }
        #expect(error == .incompatible(file: "ints.safetensors", model: "zero-dce-pp",
                                       reason: "conv1.pointwise.bias holds integers; weights are floating-point numbers"))
    }

    /// A training checkpoint given as `--weights` used to be reported as missing keys.
    @Test func aTrainingCheckpointLoadsAsWeights() throws {
        let model = try ModelKind.zeroDCEPlusPlus.pretrained()
        var tensors: [String: Tensor] = ["optimizer.conv1.pointwise.weight.step": Tensor(Float(3))]
        for (key, tensor) in model.stateDict() { tensors["model." + key] = tensor }
        let contents: Safetensors.Contents = (tensors, [modelMetadataKey: "zero-dce-pp", trainingPositionMetadataKey: "{}"], [])
        var generator = SplitMix64(seed: 0)
        let loaded = ZeroDCEPlusPlus(using: &generator)
        try WeightsFile.lumen(contents, source: "checkpoint.safetensors").load(into: loaded, modelName: "zero-dce-pp")
        #expect(loaded.stateDict().map { $0.tensor.scalars } == model.stateDict().map { $0.tensor.scalars })
    }

    /// A safetensors file with a broken header used to be called "not a PyTorch checkpoint".
    @Test func aBrokenSafetensorsHeaderIsReportedAsSuch() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("broken.safetensors")
        var data = try Data(contentsOf: weightsFile(in: folder))
        data[8] = UInt8(ascii: "[")
        try data.write(to: url)
        let error = try #require(throws: ModelLoadingError.self) { try ModelKind.zeroDCEPlusPlus.load(weights: url) }
        #expect(error.localizedDescription.hasPrefix("broken.safetensors: "), "\(error.localizedDescription)")
        #expect(!error.localizedDescription.contains("PyTorch"), "\(error.localizedDescription)")
    }

    @Test func aScaleLargerThanTheImageIsAProblemNotAnAllocation() {
        var generator = SplitMix64(seed: 0)
        let model = ZeroDCEPlusPlus(scale: 100_000, using: &generator)
        #expect(model.sizeProblem(height: 480, width: 640)?.contains("--scale 480 or less") == true)
        for (height, width) in [(480, 640), (1, 1), (5, 3000)] {
            #expect(ZeroDCEPlusPlus(scale: 12, using: &generator).sizeProblem(height: height, width: width) == nil)
        }
    }
}
