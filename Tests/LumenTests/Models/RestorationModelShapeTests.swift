import Foundation
import Lumen
import LumenNN
import LumenTensor
import Testing

/// Output sizes and keys of the restoration models, whatever the input size.
@Suite struct RestorationModelShapeTests {
    @Test(arguments: [(64, 64), (63, 65), (1, 1), (6, 10)])
    func theAutoencoderKeepsAnySize(height: Int, width: Int) {
        var generator = SplitMix64(seed: 1)
        let model = DenoisingAutoencoder(using: &generator)
        let noisy = Tensor.uniform(shape: [2, 3, height, width], using: &generator)
        let output = withoutGradients { model.denoised(noisy) }
        #expect(output.shape == [2, 3, height, width])
        #expect(output.scalars.allSatisfy { $0 > 0 && $0 < 1 }, "a sigmoid output")
    }

    @Test func theAutoencoderCropsWhatPaddingAdded() {
        var generator = SplitMix64(seed: 2)
        let model = DenoisingAutoencoder(using: &generator)
        let image = Tensor.uniform(shape: [1, 3, 63, 62], using: &generator)
        let padded = image.padded(Padding(top: 0, bottom: 1, left: 0, right: 2), mode: .replicate)
        let whole = withoutGradients { model(padded) }.sliced(axis: 2, range: 0..<63).sliced(axis: 3, range: 0..<62)
        #expect(withoutGradients { model.denoised(image) }.scalars == whole.scalars)
    }

    @Test func theAutoencoderHasTheSeedsKeys() {
        var generator = SplitMix64(seed: 3)
        #expect(DenoisingAutoencoder(using: &generator).stateDict().keys == [
            "encoder.layers.0.weight", "encoder.layers.0.bias", "encoder.layers.2.weight", "encoder.layers.2.bias",
            "decoder.layers.0.weight", "decoder.layers.0.bias", "decoder.layers.2.weight", "decoder.layers.2.bias",
        ])
    }

    @Test(arguments: [2, 3, 4])
    func espcnEnlargesByItsScale(scale: Int) {
        var generator = SplitMix64(seed: 4)
        for variant in [ESPCN.Variant.color, .luma] {
            let model = ESPCN(scale: scale, variant: variant, using: &generator)
            let input = Tensor.uniform(shape: [1, model.channels, 7, 5], using: &generator)
            #expect(withoutGradients { model.upscaled(input) }.shape == [1, model.channels, 7 * scale, 5 * scale])
        }
    }

    @Test func dncnnKeepsTheSizeAndSubtractsItsEstimate() {
        var generator = SplitMix64(seed: 5)
        let model = DnCNN(depth: 3, using: &generator)
        let noisy = Tensor.uniform(shape: [1, 1, 9, 11], using: &generator)
        let output = withoutGradients { model.denoised(noisy) }
        #expect(output.shape == noisy.shape)
        #expect(model.stateDict().keys.first == "model.layers.0.weight")
    }
}
