import LumenImaging
import LumenTensor
import LumenTestSupport
import Testing

@Suite struct AlignedAugmentationTests {
    func image(seed: UInt64, channels: Int = 3, height: Int = 24, width: Int = 32) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor.uniform(shape: [1, channels, height, width], in: 0...1, using: &generator)
    }

    /// Every spatial transform on, photometric off.
    var spatialOnly: AlignedAugmentation {
        var augmentation = AlignedAugmentation(cropSize: 16)
        augmentation.resizedCropScale = 0.5...1
        augmentation.verticalFlipProbability = 0.5
        augmentation.rotates90 = true
        return augmentation
    }

    @Test(arguments: 0..<12)
    func spatialTransformsKeepATargetEqualToTheImageAligned(seed: UInt64) {
        let photo = image(seed: 1)
        let matte = Gray.fromRGB(photo)
        var generator = SplitMix64(seed: seed)
        let (input, targets) = spatialOnly.applied(to: photo, targets: [photo, matte], using: &generator)
        #expect(input.shape == [1, 3, 16, 16])
        #expect(input.scalars == targets[0].scalars)
        #expect(maxAbsoluteDifference(Gray.fromRGB(input).scalars, targets[1].scalars) < 1e-5)
    }

    @Test func photometricTransformsChangeTheInputOnly() {
        var augmentation = spatialOnly
        augmentation.brightness = 0.3
        augmentation.contrast = 0.3
        augmentation.saturation = 0.3
        augmentation.gamma = 0.7...1.4
        augmentation.noise = 0.01...0.05
        augmentation.gaussianBlur.probability = 1
        augmentation.motionBlur.probability = 1
        augmentation.erasingProbability = 1
        let photo = image(seed: 2)
        var first = SplitMix64(seed: 5), again = SplitMix64(seed: 5)
        let (input, targets) = augmentation.applied(to: photo, targets: [photo], using: &first)
        let (repeated, _) = augmentation.applied(to: photo, targets: [photo], using: &again)
        #expect(input.scalars != targets[0].scalars)
        #expect(input.scalars == repeated.scalars)
        #expect(input.scalars.allSatisfy { (0...1).contains($0) })
        // The target went through the same spatial draw as with photometric changes off.
        var spatial = SplitMix64(seed: 5)
        let (_, plainTargets) = spatialOnly.applied(to: photo, targets: [photo], using: &spatial)
        #expect(targets[0].scalars == plainTargets[0].scalars)
    }

    @Test func withoutACropSizeTheImageKeepsItsSize() {
        var augmentation = AlignedAugmentation()
        augmentation.horizontalFlipProbability = 1
        let photo = image(seed: 3)
        var generator = SplitMix64(seed: 1)
        let (input, _) = augmentation.applied(to: photo, targets: [], using: &generator)
        #expect(input.shape == photo.shape)
        #expect(input.scalars == photo.flipped(axis: 3).scalars)
    }
}
