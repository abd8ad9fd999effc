import LumenTensor

/// 2-D transposed convolution over `[N, C, H, W]` input, as PyTorch's
/// `nn.ConvTranspose2d`: upsamples by `stride`.
///
/// Weight `[inputChannels, outputChannels / groups, kH, kW]` (input channels first),
/// bias `[outputChannels]`; output `[N, outputChannels, outH, outW]` with
/// `outH = (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1`, likewise `outW`.
///
/// ```swift
/// let up = ConvTranspose2d(inputChannels: 16, outputChannels: 8, kernelSize: 4,
///                          stride: 2, padding: 1, using: &generator)   // H -> 2H
/// ```
public final class ConvTranspose2d: Module, UnaryLayer, @unchecked Sendable {
    /// `[inputChannels, outputChannels / groups, kH, kW]`.
    public let weight: Tensor
    /// `[outputChannels]`, or `nil` without bias.
    public let bias: Tensor?
    /// Stride of the convolution this transposes (the upsampling factor).
    public let stride: Pair
    /// Padding of the convolution this transposes (removed from the output).
    public let padding: Pair
    /// Extra rows and columns on the bottom and right; smaller than `stride` or `dilation`.
    public let outputPadding: Pair
    /// Spacing between kernel taps.
    public let dilation: Pair
    /// Number of independent channel groups.
    public let groups: Int

    /// Creates a transposed convolution with PyTorch's default initialisation:
    /// weight and bias uniform in `±1/√fanIn` with PyTorch's fan of this weight
    /// layout, `fanIn = outputChannels / groups · kH · kW`.
    /// - Parameters:
    ///   - inputChannels, outputChannels: channel counts, both multiples of `groups`.
    ///   - kernelSize: `[kH, kW]`, or one value for both.
    ///   - bias: whether to add a learned per-channel bias.
    ///   - generator: the source of the initial weights.
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Pair,
                stride: Pair = 1, padding: Pair = 0, outputPadding: Pair = 0,
                dilation: Pair = 1, groups: Int = 1, bias: Bool = true,
                using generator: inout some RandomNumberGenerator) {
        precondition(groups > 0 && inputChannels % groups == 0 && outputChannels % groups == 0,
                     "ConvTranspose2d: \(inputChannels) -> \(outputChannels) channels in \(groups) groups")
        let shape: Shape = [inputChannels, outputChannels / groups, kernelSize.first, kernelSize.second]
        weight = Tensor.kaimingUniform(shape: shape, using: &generator).trainable()
        let bound = 1 / Float(shape.elementCount / inputChannels).squareRoot()
        self.bias = bias ? Tensor.uniform(shape: [outputChannels], in: -bound...bound, using: &generator).trainable() : nil
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.dilation = dilation
        self.groups = groups
    }

    /// Applies the transposed convolution to `x` `[N, inputChannels, H, W]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        self(x, weight: weight)
    }
}
