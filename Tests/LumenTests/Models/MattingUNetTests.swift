import Lumen
import LumenNN
import LumenTensor
import LumenTestSupport
import Testing

/// The matting U-Net: any size in, an alpha of that size out, and exact tiling.
@Suite struct MattingUNetTests {
    /// A narrow model in evaluation mode with batch-norm statistics that are not the
    /// identity, so that the tests exercise them.
    func model(frontEnd: Bool, seed: UInt64) -> MattingUNet {
        var generator = SplitMix64(seed: seed)
        let front: (any MattingFrontEnd)? = frontEnd ? IlluminationEstimator(width: 4, blockCount: 2, using: &generator) : nil
        let model = MattingUNet(width: 4, frontEnd: front, using: &generator)
        for (key, buffer) in model.buffers() {
            let range: ClosedRange<Float> = key.hasSuffix("runningVariance") ? 0.5...2 : -0.2...0.2
            buffer.value.assign(Tensor.uniform(shape: buffer.value.shape, in: range, using: &generator))
        }
        model.eval()
        return model
    }

    @Test(arguments: [false, true])
    func alphaHasTheInputsSizeInTheUnitInterval(frontEnd: Bool) {
        let model = model(frontEnd: frontEnd, seed: 1)
        var generator = SplitMix64(seed: 2)
        let image = Tensor.uniform(shape: [2, 3, 45, 70], using: &generator)
        let output = withoutGradients { model(image) }
        #expect(output.alpha.shape == [2, 1, 45, 70] && output.corrected.shape == image.shape)
        #expect(output.alpha.scalars.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(model.receptiveRadius == 224, "203, plus 6 for the two-block front end, rounded up to 32")
        #expect(model.parameters().contains { $0.key.hasPrefix("frontEnd.") } == frontEnd)
        #expect(model.parameters().contains { $0.key.hasPrefix("encoder.stage3.1.depthwise") })
    }

    /// One changed pixel moves the alpha only within the receptive radius.
    @Test func receptiveRadiusBoundsWhatAPixelChanges() {
        let model = model(frontEnd: true, seed: 3)
        var generator = SplitMix64(seed: 4)
        let size = 2 * model.receptiveRadius + 64
        let image = Tensor.uniform(shape: [1, 3, size, size], using: &generator)
        let changed = Tensor(shape: image.shape, scalars: image.scalars)
        let center = size / 2
        changed.withUnsafeMutableBufferPointer { buffer in
            for channel in 0..<3 { buffer[(channel * size + center) * size + center] = 1 - buffer[(channel * size + center) * size + center] }
        }
        let (before, after) = withoutGradients { (model.alpha(image).scalars, model.alpha(changed).scalars) }
        var farthest = 0
        for y in 0..<size {
            for x in 0..<size where before[y * size + x] != after[y * size + x] {
                farthest = max(farthest, abs(y - center), abs(x - center))
            }
        }
        #expect(farthest > 0, "the change reaches the alpha")
        #expect(farthest <= model.receptiveRadius, "a pixel \(farthest) away changed")
    }

    @Test func tilesExactly() {
        let model = model(frontEnd: true, seed: 5)
        var generator = SplitMix64(seed: 6)
        let image = Tensor.uniform(shape: [1, 3, 610, 577], using: &generator)
        let whole = withoutGradients { model.alpha(image) }
        var tiles = 0
        let tiled = withoutGradients { model.alphaInTiles(image, tileSize: 160) { _, count in tiles = count } }
        #expect(tiles == 16)
        #expect(maxAbsoluteDifference(whole.scalars, tiled.scalars) < 1e-5)
        #expect(whole.scalars.contains { $0 > 0.05 && $0 < 0.95 }, "not saturated, so the comparison means something")
    }
}
