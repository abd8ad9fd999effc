import LumenNN
import LumenTensor

/// The denoising auto-encoder of seed 002: two stride-2 3x3 convolutions encode
/// (3 → 32 → 64 channels, ReLU), two stride-2 transposed convolutions decode
/// (64 → 32 → 3, padding 1, output padding 1, ReLU then sigmoid).
///
/// Each stride-2 stage halves the size rounding up and the decoder doubles it, so
/// an input whose sides are not multiples of 4 would come out larger. ``denoised(_:)``
/// therefore pads the image by edge replication to the next multiple of 4 and crops
/// the output back: any size in, the same size out. PyTorch-compatible keys
/// (`encoder.layers.0.weight`, ..., `decoder.layers.2.bias`).
public final class DenoisingAutoencoder: Module, TensorRestorer, @unchecked Sendable {
    package let encoder: Sequential
    package let decoder: Sequential

    /// Creates a randomly initialised network.
    public init(using generator: inout some RandomNumberGenerator) {
        encoder = Sequential(
            Conv2d(inputChannels: 3, outputChannels: 32, kernelSize: 3, stride: 2, padding: 1, using: &generator), ReLU(),
            Conv2d(inputChannels: 32, outputChannels: 64, kernelSize: 3, stride: 2, padding: 1, using: &generator), ReLU())
        decoder = Sequential(
            ConvTranspose2d(inputChannels: 64, outputChannels: 32, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1,
                            using: &generator), ReLU(),
            ConvTranspose2d(inputChannels: 32, outputChannels: 3, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1,
                            using: &generator), Sigmoid())
    }

    /// The network as the seed defines it, on `[N, 3, H, W]` with H and W multiples of 4.
    public func callAsFunction(_ image: Tensor) -> Tensor { decoder(encoder(image)) }

    /// The denoised image `[N, 3, H, W]` in `[0, 1]`, any size: padded to multiples of 4, then cropped back.
    public func denoised(_ noisy: Tensor) -> Tensor {
        precondition(noisy.shape.rank == 4 && noisy.shape[1] == 3, "the auto-encoder takes [N, 3, H, W], got \(noisy.shape)")
        let (height, width) = (noisy.shape[2], noisy.shape[3])
        let bottom = (4 - height % 4) % 4, right = (4 - width % 4) % 4
        guard bottom > 0 || right > 0 else { return self(noisy) }
        let output = self(noisy.padded(Padding(top: 0, bottom: bottom, left: 0, right: right), mode: .replicate))
        return output.sliced(axis: 2, range: 0..<height).sliced(axis: 3, range: 0..<width)
    }
}

extension DenoisingAutoencoder {
    public var scaleFactor: Int { 1 }
    public var colorModel: RestorationColorModel { .rgb }
    /// Each output pixel sees about 9 input pixels each way through the two stride-2
    /// stages and their transposes; 12 leaves a margin (the tiling test checks it).
    public var receptiveRadius: Int { 12 }
    /// The stride pattern repeats every 4 pixels, and so must the tile windows.
    public var tileAlignment: Int { 4 }
    public func restored(_ input: Tensor) -> Tensor { denoised(input) }
}

extension DenoisingAutoencoder: CheckpointImportable {
    /// The seed's PyTorch module uses `nn.Sequential` attributes `encoder` and
    /// `decoder`: `encoder.0.weight` → `encoder.layers.0.weight`, likewise biases.
    public static func importRule(forKey torchKey: String) -> CheckpointKeyRule? {
        let parts = torchKey.split(separator: ".")
        guard parts.count == 3, parts[0] == "encoder" || parts[0] == "decoder", let index = Int(parts[1]),
              [0, 2].contains(index), parts[2] == "weight" || parts[2] == "bias" else { return nil }
        return .load(as: "\(parts[0]).layers.\(index).\(parts[2])")
    }
}
