import LumenTensor

/// Average pooling to a fixed output size, as PyTorch's `nn.AdaptiveAvgPool2d`:
/// `[N, C, H, W] -> [N, C, outputSize.first, outputSize.second]`, output cell `i`
/// averaging input rows `⌊i·H/out⌋ ..< ⌈(i+1)·H/out⌉` (likewise columns).
public final class AdaptiveAvgPool2d: Module, UnaryLayer, @unchecked Sendable {
    /// `[height, width]` of the output; `1` gives global average pooling.
    public let outputSize: Pair

    /// Creates the pooling layer.
    public init(outputSize: Pair) { self.outputSize = outputSize }

    /// Pools `x` `[N, C, H, W]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.adaptiveAvgPool2d(outputSize: (outputSize.first, outputSize.second))
    }
}
