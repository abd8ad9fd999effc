import Lumen
import LumenNN
import LumenTensor
import LumenTestSupport
import Testing

/// The GAN generators and discriminators: shapes, ranges and the identities their
/// structure promises.
@Suite struct GANModelTests {
    @Test func resnetGeneratorKeepsAnySizeInTheUnitRange() {
        var generator = SplitMix64(seed: 1)
        let model = ResNetGenerator(baseChannels: 8, residualBlocks: 2, using: &generator)
        let image = Tensor.uniform(shape: [1, 3, 21, 30], using: &generator)
        let output = withoutGradients { model.translated(image) }
        #expect(output.shape == image.shape)
        #expect(output.scalars.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(model.parameters().count == 2 + 4 + 2 * 4 + 4 + 2, "head, two down, two blocks of two convs, two up, tail")
    }

    @Test func attentionUNetIsTheIdentityWithoutAGainAndKeepsAnySize() {
        var generator = SplitMix64(seed: 2)
        let model = AttentionUNetGenerator(baseChannels: 8, levels: 3, using: &generator)
        let image = Tensor.uniform(shape: [1, 3, 19, 26], using: &generator)
        #expect(withoutGradients { model.enhanced(image) }.shape == image.shape)
        for (key, tensor) in model.parameters() where key.hasPrefix("head.") { tensor.assign(Tensor(zeros: tensor.shape)) }
        #expect(withoutGradients { model.enhanced(image) }.scalars == image.scalars)
        let attention = AttentionUNetGenerator.attention(Tensor(shape: [1, 3, 1, 2], scalars: [0, 1, 0, 1, 0, 1]))
        #expect(maxAbsoluteDifference(attention.scalars, [1, 0]) < 1e-6)
    }

    /// The shipped generator tiles exactly: windows aligned to its pooling grid, a
    /// halo of its receptive radius.
    @Test func lowLightGeneratorTilesExactly() {
        var generator = SplitMix64(seed: 7)
        let model = ModelKind.enlightenGAN.makeModel()
        for (_, tensor) in model.parameters() { tensor.assign(Tensor.uniform(shape: tensor.shape, in: -0.1...0.1, using: &generator)) }
        let image = Tensor.uniform(shape: [1, 3, 150, 203], using: &generator)
        #expect(model.tileAlignment == 8 && model.receptiveRadius == 96)
        let whole = withoutGradients { model.enhanced(image) }
        let tiled = withoutGradients { model.enhancedInTiles(image, tileSize: 64) { _, _ in } }
        #expect(maxAbsoluteDifference(whole.scalars, tiled.scalars) < 1e-5)
        #expect(whole.scalars.contains { $0 > 0.01 && $0 < 0.99 }, "not saturated, so the comparison means something")
    }

    @Test(arguments: [false, true])
    func patchDiscriminatorGivesOneLogitPerPatch(spectralNorm: Bool) {
        var generator = SplitMix64(seed: 3)
        let model = PatchDiscriminator(baseChannels: 8, normalization: spectralNorm ? .none : .batch, spectralNorm: spectralNorm,
                                       selfAttention: spectralNorm, using: &generator)
        let image = Tensor.uniform(shape: [2, 3, 64, 64], using: &generator)
        let features = model.features(image)
        #expect(features.count == 5)
        #expect(features.last!.shape == [2, 1, 6, 6], "64 -> 32 -> 16 -> 8 -> 7 -> 6, 70x70 receptive field")
        #expect(model.stateDict().keys.contains { $0.hasSuffix(".u") } == spectralNorm)
        #expect(model.stateDict().keys.contains { $0.hasPrefix("attention.") } == spectralNorm)
    }

    @Test func globalLocalDiscriminatorJudgesWholeImagesAndPatches() {
        var generator = SplitMix64(seed: 4)
        let model = GlobalLocalDiscriminator(baseChannels: 8, patchSize: 16, patchCount: 3, using: &generator)
        let images = Tensor.uniform(shape: [2, 3, 64, 48], using: &generator)
        let corners = model.patchCorners(height: 64, width: 48, batch: 2, using: &generator)
        #expect(corners.count == 6 && corners.allSatisfy { $0.row <= 48 && $0.column <= 32 })
        let patches = model.patches(of: images, at: corners)
        #expect(patches.shape == [6, 3, 16, 16])
        let corner = corners[4]
        let expected = images.sliced(axis: 0, range: 1..<2).sliced(axis: 2, range: corner.row..<(corner.row + 16))
            .sliced(axis: 3, range: corner.column..<(corner.column + 16))
        #expect(patches.sliced(axis: 0, range: 4..<5).scalars == expected.scalars)
        #expect(withoutGradients { model.global(images) }.shape[1] == 1 && withoutGradients { model.local(patches) }.shape[0] == 6)
    }
}

/// VGG19's torchvision keys and the perceptual loss built on it.
@Suite struct PerceptualLossTests {
    @Test func importsTorchvisionKeysAndIgnoresTheClassifier() throws {
        var generator = SplitMix64(seed: 5)
        let source = VGG19Features(using: &generator), target = VGG19Features(using: &generator)
        var torchvision: [String: Tensor] = ["classifier.0.weight": Tensor(zeros: [4, 2])]
        for (key, tensor) in source.stateDict() {
            let parts = key.split(separator: ".")
            torchvision["features.\(VGG19Features.torchvisionIndices[Int(parts[1])!]).\(parts[2])"] = tensor
        }
        let report = try target.importCheckpoint(torchvision, source: "vgg19.pth")
        #expect(report.loaded.count == 32 && report.ignored.keys.sorted() == ["classifier.0.weight"])
        #expect(target.stateDict().map(\.tensor.scalars) == source.stateDict().map(\.tensor.scalars))
        #expect(target.parameters().allSatisfy { !$0.tensor.requiresGradient }, "VGG never trains")
        torchvision["features.17.weight"] = Tensor(zeros: [1])   // VGG16's layout
        #expect(throws: ModelLoadingError.self) { try target.importCheckpoint(torchvision, source: "vgg16.pth") }
    }

    @Test func perceptualLossIsZeroForEqualImagesAndDifferentiable() {
        var generator = SplitMix64(seed: 6)
        let features = VGG19Features(using: &generator)
        let image = Tensor.uniform(shape: [1, 3, 16, 16], using: &generator)
        #expect(perceptualLoss(image, image, features: features).scalar == 0)
        let target = Tensor.uniform(shape: [1, 3, 16, 16], using: &generator)
        let mismatches = checkGradients([image], atol: 1e-3, maxElements: 12) { perceptualLoss($0[0], target, features: features) }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
    }
}
