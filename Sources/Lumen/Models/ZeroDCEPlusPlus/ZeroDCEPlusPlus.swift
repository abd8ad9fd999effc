import LumenNN
import LumenTensor

/// Zero-DCE++ (Li, Guo and Loy, TPAMI 2021, https://arxiv.org/abs/2103.00860).
///
/// Zero-DCE's topology with depthwise-separable convolutions, estimating a single
/// 3-channel curve map that is applied eight times. The map is estimated on the
/// input downsampled by `scale` (bilinear, `align_corners = false`, as
/// `F.interpolate`) and upsampled back (bilinear, `align_corners = true`, as
/// `nn.UpsamplingBilinear2d`). Port of the architecture in the official
/// `Zero-DCE++/model.py`.
public final class ZeroDCEPlusPlus: Module, TensorEnhancer, @unchecked Sendable {
    /// The outputs of the reference implementation.
    public struct Output {
        /// The enhanced image `[N, 3, H, W]`.
        public let enhanced: Tensor
        /// The curve map `[N, 3, H, W]` at full resolution.
        public let curve: Tensor
    }

    package let conv1, conv2, conv3, conv4, conv5, conv6, conv7: DepthwiseSeparableConv2d
    /// The downsampling factor of the curve estimation (12 in the official test).
    public let scale: Int

    /// Creates a randomly initialised network.
    /// - Parameters:
    ///   - width: feature channels (32 officially).
    ///   - scale: the curve estimation's downsampling factor; 1 for none.
    public init(width: Int = 32, scale: Int = 12, using generator: inout some RandomNumberGenerator) {
        precondition(scale >= 1, "Zero-DCE++ scale must be at least 1, got \(scale)")
        func conv(_ input: Int, _ output: Int) -> DepthwiseSeparableConv2d {
            DepthwiseSeparableConv2d(inputChannels: input, outputChannels: output, using: &generator)
        }
        conv1 = conv(3, width); conv2 = conv(width, width); conv3 = conv(width, width); conv4 = conv(width, width)
        conv5 = conv(2 * width, width); conv6 = conv(2 * width, width); conv7 = conv(2 * width, 3)
        self.scale = scale
    }

    /// Runs the network on `image` `[N, 3, H, W]`; H and W must be multiples of `scale`
    /// (``cropped(_:)`` does what the official test does).
    public func callAsFunction(_ image: Tensor) -> Output {
        let (enhanced, curve) = resampling.run(image, curveNetwork: curveNetwork)
        return Output(enhanced: enhanced, curve: curve)
    }

    /// How the curve map is estimated at `1/scale` and brought back.
    package var resampling: CurveResampling { CurveResampling(scale: scale) }

    /// The curve map (after tanh) of the downsampled image `small`.
    package func curveNetwork(_ small: Tensor) -> Tensor {
        let x = features(small)
        return conv7(Tensor.concatenated([x[0], x[5]], axis: 1)).tanh()
    }

    /// The ReLU outputs `x1 ... x6` of blocks `conv1 ... conv6` for the downsampled image.
    package func features(_ small: Tensor) -> [Tensor] {
        zeroDCEFeatures(small, layers: [conv1, conv2, conv3, conv4, conv5, conv6])
    }

    /// Crops `[N, C, H, W]` to the largest multiple of `scale` from the top-left
    /// corner, as the official test script does.
    public func cropped(_ image: Tensor) -> Tensor {
        let height = image.shape[2] / scale * scale, width = image.shape[3] / scale * scale
        if height == image.shape[2] && width == image.shape[3] { return image }
        return image.sliced(axis: 2, range: 0..<height).sliced(axis: 3, range: 0..<width)
    }

    /// Enhances an image of any size, keeping its size: the image is padded by edge
    /// replication to a multiple of `scale`, enhanced, and the result cropped back.
    /// (The official test crops the photo instead: use `self(cropped(image))` for that.)
    public func enhanced(_ image: Tensor) -> Tensor { resampling.enhanced(image, curveNetwork: curveNetwork) }

    public func sizeProblem(height: Int, width: Int) -> String? { resampling.sizeProblem(height: height, width: width) }

    /// With downsampling, the upsampling grid (`align_corners = true`) spans the whole
    /// image, so halo tiling does not apply; see ``enhancedInTiles(_:tileSize:progress:)``.
    public var receptiveRadius: Int? { scale == 1 ? 7 : nil }

    /// Exact tiling at any scale (``CurveResampling/enhancedInTiles(_:tileSize:curveNetwork:progress:)``). Equals ``enhanced(_:)``.
    public func enhancedInTiles(_ image: Tensor, tileSize: Int, progress: (Int, Int) -> Void) -> Tensor {
        guard scale > 1 else { return TiledInference(tileSize: tileSize).run(self, on: image, progress: progress) }
        return resampling.enhancedInTiles(image, tileSize: tileSize, curveNetwork: curveNetwork, progress: progress)
    }
}
