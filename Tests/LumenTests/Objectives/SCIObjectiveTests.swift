import Lumen
import LumenNN
import LumenTensor
import LumenTestSupport
import Testing

/// SCI's smoothness loss, objective and training network on small inputs.
@Suite struct SCIObjectiveTests {
    func random(_ shape: Shape, seed: UInt64) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor.uniform(shape: shape, in: 0...1, using: &generator)
    }

    /// Values in `[0, 1)` whose differences within each plane are at least
    /// `1 / plane size`, far from the kink of `|·|` at the checker's step.
    func distinctPerPlane(_ shape: Shape, seed: UInt64) -> Tensor {
        var generator = SplitMix64(seed: seed)
        let plane = shape[2] * shape[3]
        let values = (0..<shape[0] * shape[1]).flatMap { _ in
            (0..<plane).shuffled(using: &generator).map { Float($0) / Float(plane) }
        }
        return Tensor(shape: shape, scalars: values)
    }

    @Test func smoothnessOfAColumnRampUnderAConstantGuide() {
        // Weights are exp(0) = 1; each offset (dy, dx) contributes 2 · 3 |dx|, and
        // the |dx| of the 12 offsets add up to 15.
        let ramp = Tensor(shape: [1, 3, 3, 3], scalars: (0..<27).map { Float($0 % 3) })
        let loss = sciSmoothnessLoss(illumination: ramp, input: Tensor(repeating: 0.4, shape: [1, 3, 3, 3]))
        #expect(Swift.abs(loss.scalar - 90) < 1e-4)
        let flat = sciSmoothnessLoss(illumination: Tensor(repeating: 0.3, shape: [2, 3, 5, 4]), input: random([2, 3, 5, 4], seed: 1))
        #expect(flat.scalar == 0)
    }

    @Test func smoothnessWeightsShrinkAcrossColourEdges() {
        let illumination = random([1, 3, 6, 6], seed: 2)
        let uniform = sciSmoothnessLoss(illumination: illumination, input: Tensor(repeating: 0.5, shape: [1, 3, 6, 6]))
        let edges = sciSmoothnessLoss(illumination: illumination, input: random([1, 3, 6, 6], seed: 3).squared() * 40)
        #expect(edges.scalar < uniform.scalar)
    }

    @Test func perPixelTransformTreatsRowsAndColumnsAlikeAndTheOfficialOneDoesNot() {
        // The 12 offsets are symmetric under transposition, so with a per-pixel
        // colour transform transposing both images keeps the loss; the official
        // `view(-1, 3)` groups values along rows in memory, so it does not. A
        // small σ makes the guide matter (with σ = 10 every weight is near 1).
        let illumination = random([1, 3, 6, 9], seed: 4), input = random([1, 3, 6, 9], seed: 5)
        let transposed = { (x: Tensor) in x.permuted([0, 1, 3, 2]) }
        for transform in SCISmoothnessColorTransform.allCases {
            let loss = sciSmoothnessLoss(illumination: illumination, input: input, sigma: 0.1,
                                         colorTransform: transform).scalar
            let flipped = sciSmoothnessLoss(illumination: transposed(illumination), input: transposed(input), sigma: 0.1,
                                            colorTransform: transform).scalar
            if transform == .perPixel {
                #expect(Swift.abs(loss - flipped) <= 1e-5 * loss)
            } else {
                #expect(Swift.abs(loss - flipped) > 1e-2 * loss)
            }
        }
    }

    @Test(arguments: SCISmoothnessColorTransform.allCases)
    func smoothnessGradients(transform: SCISmoothnessColorTransform) {
        let mismatches = checkGradients([distinctPerPlane([2, 3, 5, 6], seed: 6), random([2, 3, 5, 6], seed: 7)]) {
            sciSmoothnessLoss(illumination: $0[0], input: $0[1], colorTransform: transform)
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func objectiveSumsTheStages() {
        let inputs = [random([1, 3, 8, 8], seed: 8), random([1, 3, 8, 8], seed: 9)]
        let illuminations = [random([1, 3, 8, 8], seed: 10), random([1, 3, 8, 8], seed: 11)]
        let output = SCITrainingNetwork.Output(inputs: inputs, illuminations: illuminations,
                                               reflectances: inputs, attentions: inputs)
        let losses = SCIObjective(colorTransform: .official)(output)
        #expect(losses.terms.map(\.name) == ["fidelity", "smoothness"])
        let expected = zip(illuminations, inputs).reduce(Float(0)) { total, stage in
            total + 1.5 * mseLoss(stage.0, stage.1).scalar
                + sciSmoothnessLoss(illumination: stage.0, input: stage.1, colorTransform: .official).scalar
        }
        #expect(Swift.abs(losses.total.scalar - expected) <= 1e-6 * expected)
    }

    @Test func calibrationNetworkShapesAndKeys() {
        var generator = SplitMix64(seed: 12)
        let calibration = CalibrationNetwork(channels: 4, layers: 2, using: &generator)
        #expect(calibration(random([2, 3, 7, 5], seed: 13)).shape == [2, 3, 7, 5])
        #expect(calibration.parameters().count == 14)
        #expect(calibration.buffers().count == 6)
    }

    @Test func trainingNetworkRunsEveryStageInTrainingMode() {
        var generator = SplitMix64(seed: 14)
        let network = SCITrainingNetwork(using: &generator)
        #expect(network.isTraining && network.enhancer.isTraining)
        let image = random([2, 3, 9, 7], seed: 15)
        let output = network(image)
        #expect(output.inputs.count == 3 && output.illuminations.count == 3)
        #expect(output.reflectances.count == 3 && output.attentions.count == 3)
        #expect(output.inputs[0] === image)
        #expect(output.reflectances.allSatisfy { $0.shape == [2, 3, 9, 7] && $0.scalars.allSatisfy { (0...1).contains($0) } })
        let keys = network.parameters().map(\.key)
        #expect(keys.count == 22 && keys.allSatisfy { $0.hasPrefix("enhancer.") || $0.hasPrefix("calibrator.") })
    }

    @Test func inferenceModelIsAnIndependentCopyInEvaluationMode() throws {
        var generator = SplitMix64(seed: 16)
        let network = SCITrainingNetwork(using: &generator)
        let image = random([1, 3, 8, 8], seed: 17)
        _ = network(image)  // moves the running statistics away from their initial values
        let model = network.inferenceModel()
        #expect(!model.isTraining)
        network.eval()
        let expected = withoutGradients { network.enhancer(image).enhanced }
        #expect(maxAbsoluteDifference(model(image).enhanced.scalars, expected.scalars) == 0)
        network.train()
        let before = model.stateDict().map { $0.tensor.scalars }
        for (_, parameter) in network.parameters() { parameter.assign(parameter + 1) }
        #expect(model.stateDict().map { $0.tensor.scalars } == before)
    }

    @Test func oneStepLowersTheLoss() {
        var generator = SplitMix64(seed: 18)
        let network = SCITrainingNetwork(using: &generator)
        let image = random([2, 3, 16, 16], seed: 19) * 0.3
        let objective = SCIObjective()
        let first = objective(network(image)).total
        first.backward()
        for (_, parameter) in network.parameters() {
            if let gradient = parameter.gradient { parameter.assign(parameter - 1e-3 * gradient) }
        }
        #expect(objective(network(image)).total.scalar < first.scalar)
    }
}
