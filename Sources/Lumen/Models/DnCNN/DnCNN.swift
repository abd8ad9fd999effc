import LumenNN
import LumenTensor

/// DnCNN denoiser (Zhang et al., TIP 2017, https://arxiv.org/abs/1608.03981), in the
/// batch-norm-merged form of KAIR's `network_dncnn.py`: 17 3x3 convolutions of 64
/// features with bias (ReLU between them) predict the noise, which is subtracted:
/// `output = x − model(x)`. The output is not clamped.
public final class DnCNN: Module, TensorRestorer, @unchecked Sendable {
    /// The convolutions and ReLUs in KAIR's order, so that its `model.N` keys map one to one.
    package let model: Sequential
    /// Channels in and out: 1 for gray (`dncnn_25.pth`), 3 for colour.
    public let channels: Int
    /// The number of convolutions and their width.
    public let depth: Int, features: Int

    /// Creates a randomly initialised network of `depth` convolutions.
    public init(channels: Int = 1, features: Int = 64, depth: Int = 17, using generator: inout some RandomNumberGenerator) {
        precondition(depth >= 2, "DnCNN needs at least two convolutions, got \(depth)")
        (self.channels, self.depth, self.features) = (channels, depth, features)
        var layers: [any UnaryLayer] = []
        for index in 0..<depth {
            let input = index == 0 ? channels : features, output = index == depth - 1 ? channels : features
            layers.append(Conv2d(inputChannels: input, outputChannels: output, kernelSize: 3, padding: 1, using: &generator))
            if index < depth - 1 { layers.append(ReLU()) }
        }
        model = Sequential(layers)
    }

    /// The denoised image `[N, channels, H, W]`, any size.
    public func denoised(_ noisy: Tensor) -> Tensor {
        precondition(noisy.shape.rank == 4 && noisy.shape[1] == channels, "DnCNN takes [N, \(channels), H, W], got \(noisy.shape)")
        return noisy - model(noisy)
    }
}

extension DnCNN {
    public var scaleFactor: Int { 1 }
    /// Gray weights run channel by channel on colour photos.
    public var colorModel: RestorationColorModel { channels == 1 ? .gray : .rgb }
    /// One pixel per 3x3 convolution.
    public var receptiveRadius: Int { depth }
    public func restored(_ input: Tensor) -> Tensor { denoised(input) }
}
