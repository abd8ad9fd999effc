import Lumen
import LumenImaging
import LumenTensor
import LumenTestSupport
import Testing

/// Hand-computed values and finite-difference gradients of Zero-DCE's losses.
@Suite struct ZeroReferenceLossTests {
    /// An `[N, 3, H, W]` image whose pixels all have the colour `rgb`.
    func constantImage(_ rgb: [Float], batch: Int = 1, height: Int, width: Int) -> Tensor {
        let plane = height * width
        return Tensor(shape: [batch, 3, height, width], scalars: (0..<batch * 3 * plane).map { rgb[($0 / plane) % 3] })
    }

    func random(_ shape: Shape, seed: UInt64) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor.uniform(shape: shape, in: 0...1, using: &generator)
    }

    @Test func spatialConsistencyIsZeroWhenNothingChanges() {
        let image = random([2, 3, 8, 12], seed: 1)
        #expect(spatialConsistencyLoss(enhanced: image, original: image).scalar == 0)
    }

    @Test func spatialConsistencyCountsTheZeroPaddedBorder() {
        // A uniform brightening by c differs from every zero-padded neighbour
        // outside the image: a 2x2 pooled image has 2 such neighbours per pixel.
        let c: Float = 0.25
        let original = Tensor(zeros: [1, 3, 8, 8])
        let loss = spatialConsistencyLoss(enhanced: constantImage([c, c, c], height: 8, width: 8), original: original)
        #expect(Swift.abs(loss.scalar - 2 * c * c) < 1e-7)
        let single = spatialConsistencyLoss(enhanced: constantImage([c, c, c], height: 4, width: 4),
                                            original: Tensor(zeros: [1, 3, 4, 4]))
        #expect(Swift.abs(single.scalar - 4 * c * c) < 1e-7)
    }

    @Test func spatialConsistencyIsSymmetric() {
        let a = random([1, 3, 8, 8], seed: 2), b = random([1, 3, 8, 8], seed: 3)
        #expect(spatialConsistencyLoss(enhanced: a, original: b).scalar == spatialConsistencyLoss(enhanced: b, original: a).scalar)
    }

    @Test(arguments: [Float(0), 0.25, 0.6, 1])
    func exposureOfAConstantImage(value: Float) {
        let loss = exposureControlLoss(constantImage([value, value, value], batch: 2, height: 32, width: 16))
        #expect(Swift.abs(loss.scalar - (value - 0.6) * (value - 0.6)) < 1e-6)
    }

    @Test func exposureAveragesOverPatchesAndChannels() {
        // Top patch: channel mean 0.2; bottom patch: channel mean (0.9 + 1 + 1.1) / 3 = 1.
        let top = constantImage([0.1, 0.2, 0.3], height: 4, width: 4)
        let bottom = constantImage([0.9, 1.0, 1.1], height: 4, width: 4)
        let image = Tensor.concatenated([top, bottom], axis: 2)
        let loss = exposureControlLoss(image, patchSize: 4, wellExposedLevel: 0.6)
        #expect(Swift.abs(loss.scalar - 0.16) < 1e-6)
    }

    @Test func exposureErrorMetricIsTheRootOfTheLoss() {
        let image = random([1, 3, 40, 53], seed: 7)
        let loss = Double(exposureControlLoss(image).scalar)
        #expect(Swift.abs(exposureError(image) * exposureError(image) - loss) < 1e-6 * max(loss, 1e-3))
    }

    @Test func colorConstancyOfGrayAndColouredImages() {
        let gray = constantImage([0.3, 0.3, 0.3], batch: 2, height: 4, width: 4)
        gray.requiresGradient = true
        let grayLoss = colorConstancyLoss(gray)
        #expect(grayLoss.scalar < 1e-18)
        grayLoss.backward()
        #expect(gray.gradient?.scalars.allSatisfy { $0 == 0 } == true, "a gray image's gradient is 0, not NaN")

        // (R−G)² = 0.04, (R−B)² = 0.16, (B−G)² = 0.04: √(0.04² + 0.16² + 0.04²).
        let coloured = constantImage([0.5, 0.3, 0.1], height: 2, width: 2)
        #expect(Swift.abs(colorConstancyLoss(coloured).scalar - Float(0.0288).squareRoot()) < 1e-6)
        let mixed = Tensor.concatenated([coloured, constantImage([0.2, 0.2, 0.2], height: 2, width: 2)], axis: 0)
        #expect(Swift.abs(colorConstancyLoss(mixed).scalar - Float(0.0288).squareRoot() / 2) < 1e-6, "mean over the batch")
    }

    @Test func illuminationSmoothnessOfARamp() {
        // A[i, j] = i on a 3x2 plane: vertical differences 1 at (H−1)·W = 4 places, none horizontal.
        let ramp: [Float] = [0, 0, 1, 1, 2, 2]
        let one = Tensor(shape: [1, 1, 3, 2], scalars: ramp)
        #expect(Swift.abs(illuminationSmoothnessLoss(one).scalar - 2) < 1e-6)
        let batch = Tensor(shape: [2, 1, 3, 2], scalars: ramp + ramp)
        #expect(Swift.abs(illuminationSmoothnessLoss(batch).scalar - 2) < 1e-6, "divided by the batch size")
        let channels = Tensor(shape: [1, 2, 3, 2], scalars: ramp + ramp)
        #expect(Swift.abs(illuminationSmoothnessLoss(channels).scalar - 4) < 1e-6, "not divided by the channel count")
        #expect(illuminationSmoothnessLoss(Tensor(repeating: 0.7, shape: [2, 24, 5, 4])).scalar == 0)
    }

    @Test func spatialConsistencyGradients() {
        let mismatches = checkGradients([random([2, 3, 8, 12], seed: 4), random([2, 3, 8, 12], seed: 5)]) {
            spatialConsistencyLoss(enhanced: $0[0], original: $0[1])
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func exposureControlGradients() {
        let mismatches = checkGradients([random([2, 3, 8, 12], seed: 6)]) {
            exposureControlLoss($0[0], patchSize: 4)
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func colorConstancyGradients() {
        let mismatches = checkGradients([random([2, 3, 4, 5], seed: 7)]) { colorConstancyLoss($0[0]) }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func illuminationSmoothnessGradients() {
        let mismatches = checkGradients([random([2, 6, 5, 7], seed: 8)]) { illuminationSmoothnessLoss($0[0]) }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func objectiveWeighsTheRawTerms() {
        let input = random([1, 3, 16, 16], seed: 9), enhanced = random([1, 3, 16, 16], seed: 10)
        let curves = random([1, 24, 16, 16], seed: 11)
        for objective in [ZeroDCEObjective.zeroDCE, .zeroDCEPlusPlus] {
            let losses = objective(input: input, enhanced: enhanced, curves: curves)
            #expect(losses.terms.map(\.name) == ["spatial", "exposure", "color", "smoothness"])
            #expect(losses["smoothness"]?.value.scalar == illuminationSmoothnessLoss(curves).scalar)
            #expect(losses["smoothness"]?.weight == objective.smoothnessWeight)
            let expected = losses.terms.reduce(Float(0)) { $0 + $1.weight * $1.value.scalar }
            #expect(Swift.abs(losses.total.scalar - expected) <= 1e-6 * expected)
        }
        #expect(ZeroDCEObjective.zeroDCE.smoothnessWeight == 200)
        #expect(ZeroDCEObjective.zeroDCEPlusPlus.smoothnessWeight == 1600)
    }
}
