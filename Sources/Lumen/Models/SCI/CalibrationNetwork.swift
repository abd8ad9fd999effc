import LumenNN
import LumenTensor

/// SCI's self-calibration module, used in training only: it maps a stage's
/// reflectance `r` to the correction added to the next stage's input.
///
/// `in_conv` (3x3 conv + batch-norm + ReLU, 3 → `channels`), a residual block of
/// two (3x3 conv + batch-norm + ReLU) layers added `layers` times with shared
/// weights (`fea = fea + block(fea)`), `out_conv` (3x3 conv + sigmoid,
/// `channels` → 3); the output is `r − out_conv(fea)`, `[N, 3, H, W]`. Port of
/// `CalibrateNetwork` in https://github.com/vis-opt-group/SCI/blob/main/model.py.
public final class CalibrationNetwork: Module, @unchecked Sendable {
    let inConv: Conv2d
    let inNorm: BatchNorm2d
    let blockConv1: Conv2d
    let blockNorm1: BatchNorm2d
    let blockConv2: Conv2d
    let blockNorm2: BatchNorm2d
    let outConv: Conv2d
    /// How many times the shared residual block is applied (3 officially).
    public let layers: Int

    /// Creates a randomly initialised network with `channels` feature channels (16 officially).
    public init(channels: Int = 16, layers: Int = 3, using generator: inout some RandomNumberGenerator) {
        func conv(_ input: Int, _ output: Int) -> Conv2d {
            Conv2d(inputChannels: input, outputChannels: output, kernelSize: 3, padding: 1, using: &generator)
        }
        inConv = conv(3, channels)
        inNorm = BatchNorm2d(featureCount: channels)
        blockConv1 = conv(channels, channels)
        blockNorm1 = BatchNorm2d(featureCount: channels)
        blockConv2 = conv(channels, channels)
        blockNorm2 = BatchNorm2d(featureCount: channels)
        outConv = conv(channels, 3)
        self.layers = layers
    }

    /// The calibration term for `reflectance` `[N, 3, H, W]`.
    public func callAsFunction(_ reflectance: Tensor) -> Tensor {
        var features = inNorm(inConv(reflectance)).relu()
        for _ in 0..<layers {
            let block = blockNorm2(blockConv2(blockNorm1(blockConv1(features)).relu())).relu()
            features = features + block
        }
        return reflectance - outConv(features).sigmoid()
    }
}
