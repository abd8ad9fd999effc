import LumenNN
import LumenTensor
import Testing

@Suite struct BatchNormTests {
    /// `[2, 2, 1, 2]`: channel 0 holds {1, 2, 3, 4}, channel 1 holds {0, 0, 2, −2}.
    static let input = Tensor(shape: [2, 2, 1, 2], scalars: [1, 2, 0, 0, 3, 4, 2, -2])

    @Test func trainingUsesBatchStatisticsAndUpdatesRunningOnes() {
        let norm = BatchNorm2d(featureCount: 2)
        #expect(norm.isTraining)
        let y = norm(Self.input).scalars
        // Channel 0: mean 2.5, biased variance 1.25; channel 1: mean 0, biased variance 2.
        let s0 = (1.25 + 1e-5).squareRoot(), s1 = (2.0 + 1e-5).squareRoot()
        expectClose(y, [-1.5 / s0, -0.5 / s0, 0, 0, 0.5 / s0, 1.5 / s0, 2 / s1, -2 / s1], tolerance: 1e-6)
        // running = 0.9·running + 0.1·batch, with the unbiased variances 5/3 and 8/3.
        expectClose(norm.runningMean.value.scalars, [0.25, 0], tolerance: 1e-7)
        expectClose(norm.runningVariance.value.scalars, [0.9 + 0.1 * 5 / 3, 0.9 + 0.1 * 8 / 3], tolerance: 1e-6)
        _ = norm(Self.input)
        expectClose(norm.runningMean.value.scalars, [0.9 * 0.25 + 0.25, 0], tolerance: 1e-6)
        expectClose(norm.runningVariance.value.scalars,
                    [0.9 * (0.9 + 0.5 / 3) + 0.5 / 3, 0.9 * (0.9 + 0.8 / 3) + 0.8 / 3], tolerance: 1e-6)
    }

    @Test func evaluationUsesRunningStatisticsAndLeavesThem() {
        let norm = BatchNorm2d(featureCount: 2)
        _ = norm(Self.input)
        norm.eval()
        #expect(!norm.isTraining)
        norm.weight!.assign(Tensor(shape: [2], scalars: [2, 1]))
        norm.bias!.assign(Tensor(shape: [2], scalars: [0, 0.5]))
        let y = norm(Self.input).scalars
        let mean = [0.25, 0.0], variance = [0.9 + 0.1 * 5 / 3, 0.9 + 0.1 * 8 / 3]
        let x: [Double] = [1, 2, 0, 0, 3, 4, 2, -2]
        let expected = x.indices.map { i -> Double in
            let c = (i / 2) % 2
            return [2.0, 1.0][c] * (x[i] - mean[c]) / (variance[c] + 1e-5).squareRoot() + [0.0, 0.5][c]
        }
        expectClose(y, expected, tolerance: 1e-6)
        expectClose(norm.runningMean.value.scalars, mean, tolerance: 1e-7)
        norm.train()
        #expect(norm.isTraining)
    }

    @Test func evalPropagatesThroughContainers() {
        let model = TinyNet()
        model.eval()
        #expect(model.modules().allSatisfy { !$0.module.isTraining })
    }

    @Test func gradientsReachAffineParameters() {
        let norm = BatchNorm2d(featureCount: 2)
        let x = Tensor(shape: Self.input.shape, scalars: Self.input.scalars, requiresGradient: true)
        (norm(x) * Tensor(shape: [1, 2, 1, 1], scalars: [1, 3])).sum().backward()
        // d/dbias of Σ w_c·y = w_c times the element count per channel (4).
        expectClose(norm.bias!.gradient!.scalars, [4, 12])
        #expect(x.gradient?.shape == x.shape)
    }
}
