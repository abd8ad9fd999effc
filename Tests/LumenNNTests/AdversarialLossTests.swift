import LumenNN
import LumenTensor
import LumenTestSupport
import Testing

/// The adversarial losses on a tiny input, against values computed by hand, and
/// their gradients against finite differences.
@Suite struct AdversarialLossTests {
    let real = Tensor(shape: [2], scalars: [2, -1])
    let fake = Tensor(shape: [2], scalars: [0.5, -3])

    @Test(arguments: [
        (AdversarialLoss.vanilla, 1.231_427_0, 1.761_332_2),
        (.lsgan, 7.125, 8.125),
        (.relativistic, 0.668_439_2, 4.168_439_2),
        (.wganGP, -1.75, 1.25),
        (.hinge, 1.75, 1.25),
    ])
    func lossEqualsTheHandComputedValue(loss: AdversarialLoss, discriminator: Float, generator: Float) {
        #expect(abs(loss.discriminatorLoss(real: real, fake: fake).scalar - discriminator) < 1e-5)
        #expect(abs(loss.generatorLoss(real: real, fake: fake).scalar - generator) < 1e-5)
    }

    @Test(arguments: AdversarialLoss.allCases)
    func lossGradientsMatchFiniteDifferences(loss: AdversarialLoss) {
        var generator = SplitMix64(seed: 3)
        let real = Tensor.uniform(shape: [2, 1, 3, 3], in: -0.9...0.9, using: &generator)
        let fake = Tensor.uniform(shape: [2, 1, 3, 3], in: -0.9...0.9, using: &generator)
        let discriminator = checkGradients([real, fake]) { loss.discriminatorLoss(real: $0[0], fake: $0[1]) }
        #expect(discriminator.isEmpty, "\(loss) discriminator: \(discriminator.prefix(3))")
        let generatorLoss = checkGradients([real, fake]) { loss.generatorLoss(real: $0[0], fake: $0[1]) }
        #expect(generatorLoss.isEmpty, "\(loss) generator: \(generatorLoss.prefix(3))")
    }

    @Test func binaryCrossEntropyWithLogitsIsStableForLargeLogits() {
        let logits = Tensor(shape: [2], scalars: [200, -200])
        #expect(binaryCrossEntropyWithLogits(logits, target: 1).scalar == 100)   // (0 + 200) / 2
        #expect(binaryCrossEntropyWithLogits(logits, target: 0).scalar == 100)
    }

    @Test func accuracyCountsEachSideOfTheBoundary() {
        let accuracy = AdversarialLoss.vanilla.discriminatorAccuracy(real: real, fake: fake)
        #expect(accuracy.real == 0.5 && accuracy.fake == 0.5)
        let relative = AdversarialLoss.wganGP.discriminatorAccuracy(real: real, fake: fake)   // mean fake −1.25, mean real 0.5
        #expect(relative.real == 1 && relative.fake == 0.5)
    }

    /// A linear critic's input gradient is its weight, whatever the mixing:
    /// penalty `10 (‖w‖ − 1)²` and gradient `20 (‖w‖ − 1) w / ‖w‖`.
    @Test func gradientPenaltyOfALinearCritic() {
        let weight = Tensor(shape: [1, 2, 1, 1], scalars: [3, 4], requiresGradient: true)
        var generator = SplitMix64(seed: 1)
        let real = Tensor.uniform(shape: [3, 2, 1, 1], using: &generator)
        let fake = Tensor.uniform(shape: [3, 2, 1, 1], using: &generator)
        let penalty = gradientPenalty(critic: { conv2d($0, weight: weight) }, real: real, fake: fake, using: &generator)
        #expect(abs(penalty.scalar - 160) < 1e-3)
        penalty.backward()
        #expect(maxAbsoluteDifference(weight.gradient!.scalars, [48, 64]) < 1e-3)
    }

    @Test func gradientPenaltyGradientsMatchFiniteDifferences() {
        var generator = SplitMix64(seed: 9)
        let real = Tensor.uniform(shape: [2, 3, 6, 6], in: -1...1, using: &generator)
        let fake = Tensor.uniform(shape: [2, 3, 6, 6], in: -1...1, using: &generator)
        let w1 = Tensor.uniform(shape: [4, 3, 4, 4], in: -0.3...0.3, using: &generator)
        let w2 = Tensor.uniform(shape: [1, 4, 3, 3], in: -0.3...0.3, using: &generator)
        let mismatches = checkGradients([w1, w2], differentiatesInside: true) { w in
            var mixing = SplitMix64(seed: 4)   // the same interpolation at every evaluation
            return gradientPenalty(critic: { x in
                conv2d(conv2d(x, weight: w[0], stride: 2, padding: 1).leakyReLU(negativeSlope: 0.2), weight: w[1], padding: 1)
            }, real: real, fake: fake, using: &mixing)
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func featureMatchingAveragesTheLayersL1() {
        let loss = featureMatchingLoss(real: [Tensor(shape: [1, 2], scalars: [1, 2]), Tensor(shape: [1], scalars: [3])],
                                       fake: [Tensor(shape: [1, 2], scalars: [2, 0]), Tensor(shape: [1], scalars: [5])])
        #expect(loss.scalar == 1.75)
        var generator = SplitMix64(seed: 2)
        let real = Tensor.uniform(shape: [2, 3], using: &generator), fake = Tensor.uniform(shape: [2, 3], using: &generator)
        let mismatches = checkGradients([fake]) { featureMatchingLoss(real: [real, real * 2], fake: [$0[0], $0[0].exp()]) }
        #expect(mismatches.isEmpty)
    }
}
