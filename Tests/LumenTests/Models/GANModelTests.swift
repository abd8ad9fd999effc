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

    @Test func attentionUNetIsTheIdentityWithoutAResidualAndTilesAnySize() {
        var generator = SplitMix64(seed: 2)
        let model = AttentionUNetGenerator(baseChannels: 8, levels: 3, using: &generator)
        let image = Tensor.uniform(shape: [1, 3, 19, 26], using: &generator)
        #expect(withoutGradients { model.enhanced(image) }.shape == image.shape)
        for (key, tensor) in model.parameters() where key.hasPrefix("head.") { tensor.assign(Tensor(zeros: tensor.shape)) }
        #expect(withoutGradients { model.enhanced(image) }.scalars == image.scalars)
        let attention = AttentionUNetGenerator.attention(Tensor(shape: [1, 3, 1, 2], scalars: [0, 1, 0, 1, 0, 1]))
        #expect(maxAbsoluteDifference(attention.scalars, [1, 0]) < 1e-6)
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
