import Foundation
import Lumen
import LumenIO
import LumenNN
import LumenTensor
import LumenTestSupport
import Testing

/// Spectral normalisation and SAGAN self-attention against PyTorch's
/// `torch.nn.utils.spectral_norm` and the reference SAGAN block, forward and
/// backward, on Lumen's own random weights (`scripts/reference-gan-blocks.py`
/// wrote the outputs in `References/gan-blocks/`).
@Suite struct GANBlockConformanceTests {
    static let folder = Fixtures.packageRoot.appendingPathComponent("Tests/LumenTests/References/gan-blocks")

    /// The modules the reference was made from; `LUMEN_WRITE_REFERENCE_WEIGHTS=1`
    /// rewrites `weights.safetensors` from them (then rerun the script).
    struct Blocks {
        let convolution: SpectralNorm<Conv2d>
        let transposed: SpectralNorm<ConvTranspose2d>
        let attention: SelfAttention

        init() {
            var generator = SplitMix64(seed: 3)
            convolution = SpectralNorm(Conv2d(inputChannels: 4, outputChannels: 6, kernelSize: 3, stride: 2, padding: 1,
                                              using: &generator), using: &generator)
            transposed = SpectralNorm(ConvTranspose2d(inputChannels: 6, outputChannels: 4, kernelSize: 4, stride: 2,
                                                      padding: 1, using: &generator), using: &generator)
            attention = SelfAttention(channels: 16, using: &generator)
            attention.gamma.assign(Tensor(shape: [1], scalars: [0.7]))   // zero at initialisation would hide the branch
        }

        var state: StateDict {
            StateDict([("convolution", convolution), ("transposed", transposed), ("attention", attention)].flatMap {
                prefix, module in module.stateDict().map { (key: "\(prefix).\($0.key)", tensor: $0.tensor) }
            })
        }
    }

    private func array(_ name: String) throws -> Tensor {
        try NumPyArray.load(contentsOf: Self.folder.appendingPathComponent(name + ".npy")).tensor
    }

    private func largestDifference(_ a: Tensor?, _ b: Tensor) -> Float {
        guard let a, a.shape == b.shape else { return .infinity }
        return zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? .infinity
    }

    private func loadedBlocks() throws -> Blocks {
        let blocks = Blocks()
        let url = Self.folder.appendingPathComponent("weights.safetensors")
        if ProcessInfo.processInfo.environment["LUMEN_WRITE_REFERENCE_WEIGHTS"] == "1" {
            try Safetensors.write(Dictionary(uniqueKeysWithValues: blocks.state.map { ($0.key, $0.tensor) }), to: url)
        }
        let saved = try Safetensors.read(contentsOf: url).tensors
        for (key, tensor) in blocks.state {
            #expect(saved[key]?.scalars == tensor.scalars, "\(key): the seeded weights changed; regenerate the reference")
        }
        return blocks
    }

    /// Two training forward passes (one power iteration each), the gradients of
    /// the second, then an evaluation pass that leaves `u` and `v` alone.
    private func check<Layer: WeightedLayer>(_ block: SpectralNorm<Layer>, name: String) throws {
        let input = try array("\(name)_input").requiringGradient()
        block.train()
        let first = block(input)
        #expect(largestDifference(first, try array("\(name)_output_1")) < 1e-5, "\(name): first forward")
        let second = block(input)
        #expect(largestDifference(second, try array("\(name)_output_2")) < 1e-5, "\(name): second forward")
        (second * (try array("\(name)_projection"))).sum().backward()
        #expect(largestDifference(input.gradient, try array("\(name)_input_gradient")) < 1e-5, "\(name): input gradient")
        #expect(largestDifference(block.layer.weight.gradient, try array("\(name)_weight_orig_gradient")) < 1e-5, "\(name): weight gradient")
        #expect(largestDifference(block.layer.bias?.gradient, try array("\(name)_bias_gradient")) < 1e-5, "\(name): bias gradient")
        #expect(largestDifference(block.u.value, try array("\(name)_u")) < 1e-6, "\(name): u")
        #expect(largestDifference(block.v.value, try array("\(name)_v")) < 1e-6, "\(name): v")
        block.eval()
        let evaluated = withoutGradients { block(input) }
        #expect(largestDifference(evaluated, try array("\(name)_output_eval")) < 1e-5, "\(name): evaluation forward")
        #expect(largestDifference(block.u.value, try array("\(name)_u")) < 1e-6, "\(name): u changed in evaluation")
    }

    @Test func spectralNormMatchesPyTorch() throws {
        let blocks = try loadedBlocks()
        try check(blocks.convolution, name: "convolution")
        try check(blocks.transposed, name: "transposed")
    }

    @Test func spectralNormImportsPyTorchsKeys() throws {
        var generator = SplitMix64(seed: 0)
        let block = SpectralNorm(Conv2d(inputChannels: 4, outputChannels: 6, kernelSize: 3, stride: 2, padding: 1,
                                        using: &generator), using: &generator)
        let pytorch = try Safetensors.read(contentsOf: Self.folder.appendingPathComponent("pytorch_state_after.safetensors")).tensors
        let convolution = StateDict(pytorch.filter { $0.key.hasPrefix("convolution.") }.sorted { $0.key < $1.key }
            .map { (key: String($0.key.dropFirst("convolution.".count)), tensor: $0.value) })
        #expect(Set(convolution.keys) == ["weight_orig", "bias", "weight_u", "weight_v"])
        try block.load(convolution.importingPyTorchSpectralNorm())
        #expect(largestDifference(block.u.value, try array("convolution_u")) == 0)
        #expect(largestDifference(block.v.value, try array("convolution_v")) == 0)
        block.eval()
        let output = withoutGradients { block(try! array("convolution_input")) }
        #expect(largestDifference(output, try array("convolution_output_eval")) < 1e-5)
    }

    @Test func selfAttentionMatchesPyTorch() throws {
        let attention = try loadedBlocks().attention
        let input = try array("attention_input").requiringGradient()
        let output = attention(input)
        #expect(largestDifference(output, try array("attention_output")) < 1e-5)
        (output * (try array("attention_projection"))).sum().backward()
        #expect(largestDifference(input.gradient, try array("attention_input_gradient")) < 1e-5)
        for (key, parameter) in attention.parameters() {
            let reference = try array("attention_\(key.replacingOccurrences(of: ".", with: "_"))_gradient")
            #expect(largestDifference(parameter.gradient, reference) < 1e-5, "\(key)")
        }
    }
}
