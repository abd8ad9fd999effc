import LumenTensor

/// Zero-DCE++'s resolution handling around any curve network (the float one, or
/// its int8 form): the image is padded by edge replication to a multiple of
/// `scale`, downsampled (bilinear, `align_corners = false`, as `F.interpolate`),
/// the network's curve map upsampled back (bilinear, `align_corners = true`, as
/// `nn.UpsamplingBilinear2d`) and applied eight times, and the result cropped.
package struct CurveResampling: Sendable {
    /// The downsampling factor; 1 for none.
    package let scale: Int

    package init(scale: Int) { self.scale = scale }

    /// The enhanced image and the full-resolution curve map of `image`, whose
    /// height and width must be multiples of `scale`.
    package func run(_ image: Tensor, curveNetwork: (Tensor) -> Tensor) -> (enhanced: Tensor, curve: Tensor) {
        let height = image.shape[2], width = image.shape[3]
        var curve = curveNetwork(downsampled(image))
        if scale != 1 { curve = curve.resizedBilinear(height: height, width: width, alignCorners: true) }
        return (Self.applyCurve(curve, to: image), curve)
    }

    /// `image` downsampled by `scale`: the curve network's input.
    package func downsampled(_ image: Tensor) -> Tensor {
        let height = image.shape[2], width = image.shape[3]
        precondition(height % scale == 0 && width % scale == 0, "Zero-DCE++ input \(image.shape) is not a multiple of scale \(scale)")
        return scale == 1 ? image
            : image.resizedBilinear(height: height / scale, width: width / scale, alignCorners: false,
                                    scale: (Double(scale), Double(scale)))
    }

    /// Eight light-enhancement steps with one curve map.
    static func applyCurve(_ curve: Tensor, to image: Tensor) -> Tensor {
        var x = image
        for _ in 0..<8 { x = lightEnhancementStep(x, curve) }
        return x
    }

    /// An image of any size enhanced at its size (padded, run, cropped back).
    package func enhanced(_ image: Tensor, curveNetwork: (Tensor) -> Tensor) -> Tensor {
        let height = image.shape[2], width = image.shape[3]
        let padded = paddedToScale(image)
        let output = run(padded, curveNetwork: curveNetwork).enhanced
        if padded.shape == image.shape { return output }
        return output.sliced(axis: 2, range: 0..<height).sliced(axis: 3, range: 0..<width)
    }

    /// The image is padded to a multiple of the scale on both axes, so a scale far
    /// above the image's size multiplies its memory (`--scale 100000` asks for a
    /// 10^10-pixel image). Padding is accepted up to 4 times the image's pixels, or
    /// one megapixel, whichever is larger: the default scale of 12 never comes near.
    package func sizeProblem(height: Int, width: Int) -> String? {
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

    /// Exact tiling (for `scale > 1`): the small curve map is computed once for the
    /// whole image (1/scale² of its pixels), then each output tile upsamples its
    /// window of the map and applies the curve. Equals ``enhanced(_:curveNetwork:)``.
    package func enhancedInTiles(_ image: Tensor, tileSize: Int, curveNetwork: (Tensor) -> Tensor,
                                 progress: (Int, Int) -> Void) -> Tensor {
        let height = image.shape[2], width = image.shape[3]
        let padded = paddedToScale(image)
        let curve = withoutGradients { curveNetwork(downsampled(padded)) }
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
