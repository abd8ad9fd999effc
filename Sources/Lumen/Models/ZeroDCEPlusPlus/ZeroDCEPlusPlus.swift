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

    let conv1, conv2, conv3, conv4, conv5, conv6, conv7: DepthwiseSeparableConv2d
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
        let height = image.shape[2], width = image.shape[3]
        precondition(height % scale == 0 && width % scale == 0, "Zero-DCE++ input \(image.shape) is not a multiple of scale \(scale)")
        let small = scale == 1 ? image
            : image.resizedBilinear(height: height / scale, width: width / scale, alignCorners: false,
                                    scale: (Double(scale), Double(scale)))
        let x1 = conv1(small).relu()
        let x2 = conv2(x1).relu()
        let x3 = conv3(x2).relu()
        let x4 = conv4(x3).relu()
        let x5 = conv5(Tensor.concatenated([x3, x4], axis: 1)).relu()
        let x6 = conv6(Tensor.concatenated([x2, x5], axis: 1)).relu()
        var curve = conv7(Tensor.concatenated([x1, x6], axis: 1)).tanh()
        if scale != 1 { curve = curve.resizedBilinear(height: height, width: width, alignCorners: true) }
        var x = image
        for _ in 0..<8 { x = lightEnhancementStep(x, curve) }
        return Output(enhanced: x, curve: curve)
    }

    /// Crops `[N, C, H, W]` to the largest multiple of `scale` from the top-left
    /// corner, as the official test script does.
    public func cropped(_ image: Tensor) -> Tensor {
        let height = image.shape[2] / scale * scale, width = image.shape[3] / scale * scale
        if height == image.shape[2] && width == image.shape[3] { return image }
        return image.sliced(axis: 2, range: 0..<height).sliced(axis: 3, range: 0..<width)
    }

    /// Crops to a multiple of `scale` and enhances: the output is the cropped size.
    public func enhanced(_ image: Tensor) -> Tensor { self(cropped(image)).enhanced }

    /// With downsampling every output pixel depends on the whole image through the
    /// interpolation grid, so tiling is exact only at scale 1 (7 separable 3x3 layers).
    public var receptiveRadius: Int? { scale == 1 ? 7 : nil }
}
