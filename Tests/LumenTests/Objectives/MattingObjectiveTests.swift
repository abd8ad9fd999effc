import Lumen
import LumenNN
import LumenTensor
import LumenTestSupport
import Testing

/// Seed 001's matting loss: the edge term, the brightness-dependent weight, the total.
@Suite struct MattingObjectiveTests {
    func random(_ shape: Shape, seed: UInt64, in range: ClosedRange<Float> = 0...1) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor.uniform(shape: shape, in: range, using: &generator)
    }

    @Test func edgeLossOfAStepAgainstAFlatMatte() {
        // A 1 x 3 matte [0, 1, 0] (zero padding): Sobel x gives [2, 0, -2] (the centre
        // row counts twice, the rows above and below are padding), Sobel y gives 0, so
        // the magnitudes are [2, 0, 2] against [0, 0, 0] (plus sqrt(1e-8) on both).
        let step = Tensor(shape: [1, 1, 1, 3], scalars: [0, 1, 0])
        let flat = Tensor(zeros: [1, 1, 1, 3])
        let expected: Float = ((2 - 1e-4) * (2 - 1e-4) * 2 + 0) / 3
        #expect(Swift.abs(edgeLoss(step, flat).scalar - expected) < 1e-5)
        #expect(edgeLoss(step, step).scalar == 0)
    }

    @Test func darkBatchesWeighEdgesMore() {
        let dark = Tensor(repeating: 0.1, shape: [1, 3, 4, 4]), bright = Tensor(repeating: 0.5, shape: [1, 3, 4, 4])
        #expect(brightnessEdgeWeight(dark) == 3 && brightnessEdgeWeight(bright) == 1.5)
        #expect(brightnessEdgeWeight(Tensor.concatenated([dark, bright, bright, bright], axis: 0)) == 1.875)
        let (prediction, target) = (random([1, 1, 16, 16], seed: 1), random([1, 1, 16, 16], seed: 2))
        let losses = MattingObjective()(prediction: prediction, target: target, input: dark)
        #expect(losses.terms.map(\.name) == ["mse", "ssim", "edge"] && losses["edge"]?.weight == 3)
        let total = mseLoss(prediction, target).scalar + ssimLoss(prediction, target).scalar + 3 * edgeLoss(prediction, target).scalar
        #expect(Swift.abs(losses.total.scalar - total) < 1e-5)
        #expect(MattingObjective(fixedEdgeWeight: 0)(prediction: prediction, target: target, input: dark).terms.count == 2)
    }

    @Test func gradientsMatchFiniteDifferences() {
        // Away from 0 so that the magnitudes stay away from the square root's kink.
        let mismatches = checkGradients([random([2, 1, 6, 7], seed: 3), random([2, 1, 6, 7], seed: 4)]) {
            edgeLoss($0[0], $0[1])
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        let input = random([2, 3, 12, 12], seed: 5, in: 0...0.4)
        let objective = checkGradients([random([2, 1, 12, 12], seed: 6, in: 0.1...0.9), random([2, 1, 12, 12], seed: 7)]) {
            MattingObjective()(prediction: $0[0], target: $0[1], input: input).total
        }
        #expect(objective.isEmpty, "\(objective)")
    }
}
