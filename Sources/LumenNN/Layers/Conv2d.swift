import LumenTensor

/// 2-D convolution over `[N, C, H, W]` input, as PyTorch's `nn.Conv2d`.
///
/// Weight `[outputChannels, inputChannels / groups, kH, kW]`, bias `[outputChannels]`;
/// output `[N, outputChannels, outH, outW]` with
/// `outH = (H + 2·padding − dilation·(kH − 1) − 1) / stride + 1`, likewise `outW`.
///
/// ```swift
/// var generator = SplitMix64(seed: 0)
/// let conv = Conv2d(inputChannels: 3, outputChannels: 32, kernelSize: 3, padding: 1, using: &generator)
/// let y = conv(image)   // [N, 3, H, W] -> [N, 32, H, W]
/// ```
public final class Conv2d: Module, UnaryLayer, @unchecked Sendable {
    /// `[outputChannels, inputChannels / groups, kH, kW]`.
    public let weight: Tensor
    /// `[outputChannels]`, or `nil` without bias.
    public let bias: Tensor?
    /// Step between output samples.
    public let stride: Pair
    /// Zeros added on both sides of each spatial dimension.
    public let padding: Pair
    /// Spacing between kernel taps.
    public let dilation: Pair
    /// Number of independent channel groups (`inputChannels` for depthwise).
    public let groups: Int

    /// Creates a convolution with PyTorch's default initialisation: weight and
    /// bias uniform in `±1/√fanIn`, `fanIn = inputChannels / groups · kH · kW`
    /// (Kaiming uniform with `a = √5`).
    /// - Parameters:
    ///   - inputChannels, outputChannels: channel counts, both multiples of `groups`.
    ///   - kernelSize: `[kH, kW]`, or one value for both.
    ///   - bias: whether to add a learned per-channel bias.
    ///   - generator: the source of the initial weights.
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Pair,
                stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1,
                groups: Int = 1, bias: Bool = true,
                using generator: inout some RandomNumberGenerator) {
        precondition(groups > 0 && inputChannels % groups == 0 && outputChannels % groups == 0,
                     "Conv2d: \(inputChannels) -> \(outputChannels) channels in \(groups) groups")
        let shape: Shape = [outputChannels, inputChannels / groups, kernelSize.first, kernelSize.second]
        weight = Tensor.kaimingUniform(shape: shape, using: &generator).trainable()
        let bound = 1 / Float(shape.elementCount / outputChannels).squareRoot()
        self.bias = bias ? Tensor.uniform(shape: [outputChannels], in: -bound...bound, using: &generator).trainable() : nil
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }

    /// Convolves `x` `[N, inputChannels, H, W]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        self(x, weight: weight)
    }
}
