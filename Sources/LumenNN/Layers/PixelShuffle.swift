import LumenTensor

/// Sub-pixel rearrangement `[N, C·r², H, W] -> [N, C, H·r, W·r]`, as PyTorch's
/// `nn.PixelShuffle`: `out[n, c, h·r + i, w·r + j] = in[n, c·r² + i·r + j, h, w]`.
public final class PixelShuffle: Module, UnaryLayer, @unchecked Sendable {
    /// The factor `r` by which height and width grow.
    public let upscaleFactor: Int

    /// Creates the layer.
    public init(upscaleFactor: Int) { self.upscaleFactor = upscaleFactor }

    /// Rearranges `x` `[N, C·r², H, W]`.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.pixelShuffled(upscaleFactor: upscaleFactor) }
}
