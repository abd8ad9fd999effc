import Foundation
import Lumen
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// SCI's three-stage training loss with the official `sci-medium.pt` and
/// batch-norm in training mode, against the PyTorch fixtures
/// (`fixtures/reference/README.md`, "SCI training-loss fixture").
@Suite(.tags(.golden)) struct SCILossConformanceTests {
    static let checkpoint = Fixtures.officialWeights("sci-medium.pt")
    static let input = Fixtures.reference("loss_input_nchw.npy")

    func loadedNetwork() throws -> (SCITrainingNetwork, CheckpointImportReport, Int) {
        var generator = SplitMix64(seed: 0)
        let network = SCITrainingNetwork(using: &generator)
        let tensors = try TorchCheckpoint.load(contentsOf: Fixtures.require(Self.checkpoint))
        let report = try network.importCheckpoint(tensors, source: Self.checkpoint.lastPathComponent)
        return (network, report, tensors.count)
    }

    @Test(.fixtures(checkpoint))
    func everyCheckpointKeyIsConsumedOrAnAlias() throws {
        let (network, report, keyCount) = try loadedNetwork()
        #expect(report.loaded.count == network.stateDict().count)
        #expect(report.loaded.count + report.ignored.count == keyCount)
        #expect(report.ignored.keys.allSatisfy { $0.contains(".blocks.") || $0.hasSuffix("num_batches_tracked") })
        #expect(report.loaded["calibrate.convs.4.running_var"] == "calibrator.blockNorm2.runningVariance")
        #expect(report.loaded["enhance.in_conv.0.weight"] == "enhancer.inConv.weight")
    }

    @Test(.fixtures(checkpoint, input))
    func lossAndGradientMatchPyTorch() throws {
        let (network, _, _) = try loadedNetwork()
        let image = try NumPyArray.load(contentsOf: Fixtures.require(Self.input)).tensor
        let losses = SCIObjective(colorTransform: .official)(network(image))

        let expected = try NumPyArray.load(contentsOf: Fixtures.require(Fixtures.reference("sci_loss_value_f32.npy"))).floats[0]
        let loss = losses.total.scalar
        #expect(Swift.abs(loss - expected) <= 1e-5 * Swift.abs(expected), "loss \(loss) vs \(expected)")

        losses.total.backward()
        let gradient = try #require(network.parameters().first { $0.key == "enhancer.inConv.weight" }?.tensor.gradient)
        let expectedGradient = try NumPyArray.load(contentsOf: Fixtures.require(
            Fixtures.reference("sci_loss_grad_enhance_in_conv_0_weight_f32.npy")))
        #expect(gradient.shape.dimensions == expectedGradient.shape)
        let scale = expectedGradient.floats.map(Swift.abs).max() ?? 0
        let difference = maxAbsoluteDifference(gradient.scalars, expectedGradient.floats)
        #expect(difference <= 1e-4 * scale, "max abs difference \(difference), max |g| \(scale)")
    }

    @Test(.fixtures(checkpoint, input))
    func perPixelColourTransformIsOutsideTheConformanceTolerance() throws {
        let (network, _, _) = try loadedNetwork()
        let image = try NumPyArray.load(contentsOf: Fixtures.require(Self.input)).tensor
        let output = withoutGradients { network(image) }
        let official = SCIObjective(colorTransform: .official)(output)
        let perPixel = SCIObjective()(output)
        // With σ = 10 and inputs in [0, 1] the colour weights stay close to 1, so
        // the transforms differ little, but well beyond the 1e-5 tolerance above.
        let (a, b) = (official.total.scalar, perPixel.total.scalar)
        #expect(Swift.abs(a - b) > 1e-4 * Swift.abs(a), "official \(a), per-pixel \(b)")
        #expect(official["fidelity"]?.value.scalar == perPixel["fidelity"]?.value.scalar)
    }
}
