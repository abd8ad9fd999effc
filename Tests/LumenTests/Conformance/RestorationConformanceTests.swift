import Foundation
import Lumen
import LumenIO
import LumenNN
import LumenTensor
import LumenTestSupport
import Testing

/// The published restoration weights, imported into Lumen's ESPCN and DnCNN,
/// reproduce the PyTorch reference outputs of `shared/fixtures/restoration/`
/// within its suggested 1e-5.
@Suite(.tags(.golden)) struct RestorationConformanceTests {
    static func restoration(_ path: String) -> URL { Fixtures.shared("fixtures/restoration/" + path) }
    static let crop = "set14_baboon_r200c240_48x64"

    private func largestDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? .infinity
    }

    @Test(.fixtures(restoration("weights/nhat-thanh-espcn/ESPCN-x2.pt")), arguments: [2, 3, 4])
    func espcnColorReproducesThePyTorchCheckpoint(scale: Int) throws {
        var generator = SplitMix64(seed: 0)
        let model = ESPCN(scale: scale, using: &generator)
        let checkpoint = try Fixtures.require(Self.restoration("weights/nhat-thanh-espcn/ESPCN-x\(scale).pt"))
        let report = try model.importCheckpoint(TorchCheckpoint.load(contentsOf: checkpoint), source: checkpoint.lastPathComponent)
        #expect(report.loaded.count == 6 && report.ignored.isEmpty)
        let input = try NumPyArray.load(contentsOf: Fixtures.require(Self.restoration("espcn-pytorch/\(Self.crop)_input_ycbcr_nchw.npy"))).tensor
        let reference = try NumPyArray.load(contentsOf: Fixtures.require(
            Self.restoration("espcn-pytorch/\(Self.crop)_x\(scale)_output_nchw.npy"))).tensor
        let output = withoutGradients { model.upscaled(input) }
        #expect(output.shape == [1, 3, 48 * scale, 64 * scale])
        #expect(model.outputSize(height: 48, width: 64) == (48 * scale, 64 * scale))
        #expect(largestDifference(output, reference) < 1e-5)
    }

    /// OpenCV's weights as their HWIO arrays (the `.pb` reader is still to come):
    /// the luma form, with `tanh` after the shuffle, clipped.
    @Test(.fixtures(restoration("weights/opencv-espcn/ESPCN_x2_weights_hwio.npz")), arguments: [2, 3, 4])
    func espcnLumaReproducesOpenCVsWeights(scale: Int) throws {
        var generator = SplitMix64(seed: 0)
        let model = ESPCN(scale: scale, variant: .luma, using: &generator)
        let arrays = try NumPyArchive.load(contentsOf: Fixtures.require(
            Self.restoration("weights/opencv-espcn/ESPCN_x\(scale)_weights_hwio.npz")))
        var state = StateDict()
        for layer in 1...3 {
            state["conv\(layer).weight"] = try #require(arrays["f\(layer)"]).tensor.permuted([3, 2, 0, 1])
            state["conv\(layer).bias"] = try #require(arrays["b\(layer)"]).tensor
        }
        try model.load(state)
        let input = try NumPyArray.load(contentsOf: Fixtures.require(Self.restoration("espcn-opencv/\(Self.crop)_input_y_nchw.npy"))).tensor
        let reference = try NumPyArray.load(contentsOf: Fixtures.require(
            Self.restoration("espcn-opencv/\(Self.crop)_x\(scale)_output_nchw.npy"))).tensor
        let output = withoutGradients { model.upscaled(input) }
        #expect(output.shape == [1, 1, 48 * scale, 64 * scale])
        #expect(largestDifference(output, reference.clamped(min: 0, max: 1)) < 1e-5)
    }

    /// OpenCV's `ESPCN_x{s}.pb`, read as a TensorFlow graph: the same weights as the
    /// HWIO arrays and the reference output.
    @Test(.fixtures(restoration("weights/opencv-espcn/ESPCN_x2.pb")), arguments: [2, 3, 4])
    func espcnLumaImportsOpenCVsFrozenGraph(scale: Int) throws {
        let url = try Fixtures.require(Self.restoration("weights/opencv-espcn/ESPCN_x\(scale).pb"))
        let graph = try TensorFlowGraph.load(contentsOf: url)
        #expect(graph.nodes.count == 19)
        let model = try ESPCN.importing(graph, source: url.lastPathComponent)
        #expect(model.scale == scale && model.variant == .luma)
        let input = try NumPyArray.load(contentsOf: Fixtures.require(Self.restoration("espcn-opencv/\(Self.crop)_input_y_nchw.npy"))).tensor
        let reference = try NumPyArray.load(contentsOf: Fixtures.require(
            Self.restoration("espcn-opencv/\(Self.crop)_x\(scale)_output_nchw.npy"))).tensor
        let output = withoutGradients { model.upscaled(input) }
        #expect(largestDifference(output, reference.clamped(min: 0, max: 1)) < 1e-5)
    }

    /// Seed 002's auto-encoder has no published weights: Lumen's own random ones, run
    /// through the seed's PyTorch module by `scripts/reference-denoise-ae.py`.
    @Test func denoisingAutoencoderMatchesTheSeedsPyTorchModule() throws {
        let folder = Fixtures.packageRoot.appendingPathComponent("Tests/LumenTests/References/denoise-ae")
        var generator = SplitMix64(seed: 0)
        let model = DenoisingAutoencoder(using: &generator)
        let weights = try Safetensors.read(contentsOf: folder.appendingPathComponent("weights.safetensors")).tensors
        try model.load(StateDict(weights.map { (key: $0.key, tensor: $0.value) }))
        func array(_ name: String) throws -> Tensor { try NumPyArray.load(contentsOf: folder.appendingPathComponent(name)).tensor }
        let input = try array("input_nchw.npy")
        #expect(largestDifference(withoutGradients { model(input) }, try array("output_nchw.npy")) < 1e-5)
        let odd = input.sliced(axis: 2, range: 0..<19).sliced(axis: 3, range: 0..<22)
        #expect(largestDifference(withoutGradients { model.denoised(odd) }, try array("odd_output_nchw.npy")) < 1e-5)
    }

    @Test(.fixtures(restoration("weights/kair/dncnn_25.pth")),
          arguments: ["bsd68_test001_r100c200_96x96", "bsd68_test002_r250c180_73x61"])
    func dncnnReproducesKAIRsCheckpoint(crop: String) throws {
        var generator = SplitMix64(seed: 0)
        let model = DnCNN(using: &generator)
        let checkpoint = try Fixtures.require(Self.restoration("weights/kair/dncnn_25.pth"))
        let report = try model.importCheckpoint(TorchCheckpoint.load(contentsOf: checkpoint), source: checkpoint.lastPathComponent)
        #expect(report.loaded.count == 34)
        let input = try NumPyArray.load(contentsOf: Fixtures.require(Self.restoration("dncnn/\(crop)_input_nchw.npy"))).tensor
        let reference = try NumPyArray.load(contentsOf: Fixtures.require(Self.restoration("dncnn/\(crop)_output_nchw.npy"))).tensor
        let output = withoutGradients { model.denoised(input) }
        #expect(output.shape == input.shape)
        #expect(largestDifference(output, reference) < 1e-5)
    }
}
