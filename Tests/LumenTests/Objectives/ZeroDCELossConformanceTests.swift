import Foundation
import Lumen
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// Zero-DCE's official checkpoint, forward outputs, loss terms and gradients of
/// the total against the PyTorch fixtures (`fixtures/reference/README.md`).
@Suite(.tags(.golden)) struct ZeroDCELossConformanceTests {
    static let checkpoint = Fixtures.officialWeights("zero-dce-epoch99.pth")

    func reference(_ name: String) throws -> NumPyArray {
        try NumPyArray.load(contentsOf: Fixtures.require(Fixtures.reference(name)))
    }

    @Test(.fixtures(checkpoint, Fixtures.reference("loss_input_nchw.npy")))
    func lossValuesAndGradientsMatchPyTorch() throws {
        var generator = SplitMix64(seed: 0)
        let model = ZeroDCE(using: &generator)
        let tensors = try TorchCheckpoint.load(contentsOf: Fixtures.require(Self.checkpoint))
        try model.importCheckpoint(tensors, source: Self.checkpoint.lastPathComponent)
        let input = try reference("loss_input_nchw.npy").tensor

        let output = model(input)
        for (tensor, name) in [(output.enhanced, "zerodce_loss_enhanced_nchw.npy"), (output.curves, "zerodce_loss_curvemaps_nchw.npy")] {
            let expected = try reference(name)
            #expect(tensor.shape.dimensions == expected.shape)
            let difference = maxAbsoluteDifference(tensor.scalars, expected.floats)
            #expect(difference <= 1e-5, "\(name): max abs difference \(difference)")
        }

        // Stored in the order spa, exp, col, tv, total.
        let losses = ZeroDCEObjective.zeroDCE(input: input, output: output)
        let expectedValues = try reference("zerodce_loss_values_f32.npy").floats
        let values = ["spatial", "exposure", "color", "smoothness"].map { losses[$0]!.value.scalar } + [losses.total.scalar]
        for (index, (value, expected)) in zip(values, expectedValues).enumerated() {
            #expect(Swift.abs(value - expected) <= 1e-5 * Swift.abs(expected), "loss \(index): \(value) vs \(expected)")
        }

        losses.total.backward()
        let gradients = try NumPyArchive.load(contentsOf: Fixtures.require(Fixtures.reference("zerodce_loss_grads_f32.npz")))
        let parameters = Dictionary(uniqueKeysWithValues: model.parameters().map { ($0.key, $0.tensor) })
        #expect(gradients.count == parameters.count)
        for (torchKey, expected) in gradients.sorted(by: { $0.key < $1.key }) {
            guard case .load(let key)? = ZeroDCE.importRule(forKey: torchKey), let parameter = parameters[key] else {
                Issue.record("no parameter for \(torchKey)")
                continue
            }
            let gradient = try #require(parameter.gradient, "\(key) has no gradient")
            let scale = expected.floats.map(Swift.abs).max() ?? 0
            let difference = maxAbsoluteDifference(gradient.scalars, expected.floats)
            #expect(difference <= 1e-4 * scale, "\(torchKey): max abs difference \(difference), max |g| \(scale)")
        }
    }
}
