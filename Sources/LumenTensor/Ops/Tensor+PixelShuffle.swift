extension Tensor {
    /// Rearranges `[N, C·r², H, W]` into `[N, C, H·r, W·r]` (ESPCN's sub-pixel
    /// convolution output, PyTorch's `F.pixel_shuffle`):
    /// `out[n, c, h·r + i, w·r + j] = in[n, c·r² + i·r + j, h, w]`.
    public func pixelShuffled(upscaleFactor r: Int) -> Tensor {
        precondition(shape.rank == 4 && r > 0 && shape[1] % (r * r) == 0, "pixel shuffle of \(shape) by \(r)")
        let n = shape[0], c = shape[1] / (r * r), h = shape[2], w = shape[3]
        let input = self
        let output = Permutation.apply(input.reshapedWithoutGradient([n, c, r, r, h, w]), [0, 1, 4, 2, 5, 3])
            .reshapedWithoutGradient([n, c, h * r, w * r])
        return output.recorded(.pixelShuffle, inputs: [input]) { g in
            [Permutation.apply(g.reshapedWithoutGradient([n, c, h, r, w, r]), [0, 1, 3, 5, 2, 4])
                .reshapedWithoutGradient(input.shape)]
        }
    }
}
