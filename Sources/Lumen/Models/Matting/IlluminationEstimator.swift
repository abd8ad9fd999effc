import LumenNN
import LumenTensor

/// Seed 001's low-light front end for matting: a 3x3 convolution to 32 channels,
/// 8 residual blocks, a 3x3 convolution back to 3 channels and a sigmoid give an
/// illumination map z, and the image is corrected to `x·z + (1 − z)·0.5`, pulling
/// every pixel toward mid-gray where z is small.
///
/// The residual blocks are CycleGAN's (reflection padding) without normalisation,
/// so that the front end sees a bounded neighbourhood (radius 18) and tiles exactly.
public final class IlluminationEstimator: Module, MattingFrontEnd, @unchecked Sendable {
    package let inputConv: Conv2d
    package let blocks: [ResidualBlock]
    package let outputConv: Conv2d

    public init(width: Int = 32, blockCount: Int = 8, using generator: inout some RandomNumberGenerator) {
        inputConv = Conv2d(inputChannels: 3, outputChannels: width, kernelSize: 3, padding: 1, using: &generator)
        blocks = (0..<blockCount).map { _ in ResidualBlock(channels: width, normalization: { _ in Identity() }, using: &generator) }
        outputConv = Conv2d(inputChannels: width, outputChannels: 3, kernelSize: 3, padding: 1, using: &generator)
    }

    /// The illumination map z `[N, 3, H, W]` in `(0, 1)`.
    public func illumination(_ image: Tensor) -> Tensor {
        var features = inputConv(image).relu()
        for block in blocks { features = block(features) }
        return outputConv(features).sigmoid()
    }

    public func corrected(_ image: Tensor) -> Tensor {
        let z = illumination(image)
        return image * z + (1 - z) * 0.5
    }

    public var correctionRadius: Int { 2 + 2 * blocks.count }
}
