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
        let height = image.shape[2], width = image.shape[3]
        var curve = lowResolutionCurve(image)
        if scale != 1 { curve = curve.resizedBilinear(height: height, width: width, alignCorners: true) }
        return Output(enhanced: Self.applyCurve(curve, to: image), curve: curve)
    }

    /// The curve map estimated on the image downsampled by `scale`, `[N, 3, H/scale, W/scale]`.
    func lowResolutionCurve(_ image: Tensor) -> Tensor {
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
        return conv7(Tensor.concatenated([x1, x6], axis: 1)).tanh()
    }

    /// Eight light-enhancement steps with one curve map.
    static func applyCurve(_ curve: Tensor, to image: Tensor) -> Tensor {
        var x = image
        for _ in 0..<8 { x = lightEnhancementStep(x, curve) }
        return x
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
    public func enhanced(_ image: Tensor) -> Tensor {
        let height = image.shape[2], width = image.shape[3]
        let padded = paddedToScale(image)
        let output = self(padded).enhanced
        if padded.shape == image.shape { return output }
        return output.sliced(axis: 2, range: 0..<height).sliced(axis: 3, range: 0..<width)
    }

    /// The image is padded to a multiple of the scale on both axes, so a scale far
    /// above the image's size multiplies its memory (`--scale 100000` asks for a
    /// 10^10-pixel image). Padding is accepted up to 4 times the image's pixels, or
    /// one megapixel, whichever is larger: the default scale of 12 never comes near.
    public func sizeProblem(height: Int, width: Int) -> String? {
        let paddedHeight = (height + scale - 1) / scale * scale, paddedWidth = (width + scale - 1) / scale * scale
        guard paddedHeight * paddedWidth > max(4 * height * width, 1 << 20) else { return nil }
        return "Zero-DCE++ scale \(scale) would pad this \(width)x\(height) image to \(paddedWidth)x\(paddedHeight): "
            + "use --scale \(min(height, width)) or less"
    }

    func paddedToScale(_ image: Tensor) -> Tensor {
        let bottom = (scale - image.shape[2] % scale) % scale, right = (scale - image.shape[3] % scale) % scale
        if bottom == 0 && right == 0 { return image }
        return image.padded(Padding(top: 0, bottom: bottom, left: 0, right: right), mode: .replicate)
    }

    /// With downsampling, the upsampling grid (`align_corners = true`) spans the whole
    /// image, so halo tiling does not apply; see ``enhancedInTiles(_:tileSize:progress:)``.
    public var receptiveRadius: Int? { scale == 1 ? 7 : nil }

    /// Exact tiling at any scale: the small curve map is computed once for the whole
    /// image (1/scale² of its pixels), then each output tile upsamples its window of
    /// the map and applies the curve. Equals ``enhanced(_:)``.
    public func enhancedInTiles(_ image: Tensor, tileSize: Int, progress: (Int, Int) -> Void) -> Tensor {
        guard scale > 1 else { return TiledInference(tileSize: tileSize).run(self, on: image, progress: progress) }
        let height = image.shape[2], width = image.shape[3]
        let padded = paddedToScale(image)
        let curve = withoutGradients { lowResolutionCurve(padded) }
        let output = Tensor(zeros: image.shape)
        let tiles = TileGrid(height: height, width: width, tileSize: tileSize)
        for (index, tile) in tiles.enumerated() {
            let enhancedTile = withoutGradients { () -> Tensor in
                let window = curve.resizedBilinear(height: padded.shape[2], width: padded.shape[3], alignCorners: true,
                                                   window: (tile.rows, tile.columns))
                let input = image.sliced(axis: 2, range: tile.rows).sliced(axis: 3, range: tile.columns)
                return Self.applyCurve(window, to: input)
            }
            output.paste(enhancedTile, row: tile.rows.lowerBound, column: tile.columns.lowerBound)
            progress(index + 1, tiles.count)
        }
        return output
    }
}
