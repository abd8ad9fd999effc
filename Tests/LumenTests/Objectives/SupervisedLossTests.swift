import Lumen
import LumenTensor
import LumenTestSupport
import Testing

@Suite struct SupervisedLossTests {
    func random(_ shape: Shape, seed: UInt64) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor.uniform(shape: shape, in: 0...1, using: &generator)
    }

    @Test func gradientLossComparesSobelEdges() {
        // A vertical edge against a flat image: Sobel x of the edge is 4 on the two
        // columns beside it (|−1·0 + 1·1| · (1 + 2 + 1)), 0 elsewhere; Sobel y is 0.
        let edge = Tensor(shape: [1, 1, 3, 4], scalars: [0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1])
        let flat = Tensor(zeros: [1, 1, 3, 4])
        // Valid region 1 x 2 per filter: x gives [4, 4], y gives [0, 0]; mean over 4 values.
        #expect(gradientLoss(edge, flat).scalar == 2)
        #expect(gradientLoss(edge + 0.3, edge).scalar < 1e-6)
    }

    @Test func totalVariationOfARamp() {
        // Rows step by 0.1, columns by 0.2: TV = 0.1 + 0.2.
        let ramp = Tensor(shape: [1, 1, 3, 3], scalars: (0..<9).map { Float($0 / 3) * 0.1 + Float($0 % 3) * 0.2 })
        #expect(Swift.abs(totalVariationLoss(ramp).scalar - 0.3) < 1e-6)
    }

    @Test func gradientsMatchFiniteDifferences() {
        let gradient = checkGradients([random([2, 3, 6, 7], seed: 1), random([2, 3, 6, 7], seed: 2)]) {
            gradientLoss($0[0], $0[1])
        }
        #expect(gradient.isEmpty, "\(gradient)")
        // Distinct values 0.02 apart: no neighbours within the finite-difference step of |·|'s kink.
        var generator = SplitMix64(seed: 3)
        let spaced = Tensor(shape: [2, 1, 6, 7], scalars: (0..<84).map { Float($0) * 0.02 }.shuffled(using: &generator))
        let variation = checkGradients([spaced]) { totalVariationLoss($0[0]) }
        #expect(variation.isEmpty, "\(variation)")
    }

    @Test func objectiveNamesItsWeightedTerms() {
        let (prediction, target, gain) = (random([1, 3, 16, 16], seed: 4), random([1, 3, 16, 16], seed: 5), random([1, 1, 16, 16], seed: 6))
        var objective = SupervisedObjective()
        objective.mse = 0.5
        let losses = objective(prediction: prediction, target: target, gain: gain)
        #expect(losses.terms.map(\.name) == ["l1", "mse", "ssim", "gradient", "gain-smoothness"])
        let expected = losses.terms.reduce(Float(0)) { $0 + $1.weight * $1.value.scalar }
        #expect(Swift.abs(losses.total.scalar - expected) < 1e-5)
        #expect(objective(prediction: prediction, target: target).terms.count == 4)
    }
}
