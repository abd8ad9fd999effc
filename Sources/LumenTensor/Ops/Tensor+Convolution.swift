/// 2-D convolution (cross-correlation, like PyTorch's `F.conv2d`).
///
/// `output[n, o, y, x] = bias[o] + Σ_{c, ky, kx} weight[o, c, ky, kx] ·
/// input[n, g·C/groups + c, y·stride + ky·dilation − padding, x·stride + kx·dilation − padding]`,
/// where `g` is the group of output channel `o` and samples outside the input are 0.
///
/// Stride-1 convolutions run on direct SIMD kernels (depthwise ones on their own);
/// 1x1 and strided ones on im2col + BLAS. Differentiable in all three arguments.
///
/// ```swift
/// let y = conv2d(image, weight: w, bias: b, padding: 1)   // [1, 3, H, W] -> [1, 32, H, W]
/// ```
/// - Parameters:
///   - input: `[N, C, H, W]`.
///   - weight: `[O, C / groups, kH, kW]`.
///   - bias: `[O]`, or `nil` for none.
///   - stride: step between output samples, `[height, width]`.
///   - padding: zeros added on both sides of each spatial dimension.
///   - dilation: spacing between kernel taps.
///   - groups: input and output channels are split into this many independent
///     groups; `groups == C == O` is a depthwise convolution.
/// - Returns: `[N, O, outH, outW]` with
///   `outH = (H + 2·padding − dilation·(kH − 1) − 1) / stride + 1`, likewise `outW`.
public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Pair = 1, padding: Pair = 0,
                   dilation: Pair = 1, groups: Int = 1) -> Tensor {
    precondition(padding.first >= 0 && padding.second >= 0, "negative padding \(padding)")
    let geometry = ConvolutionGeometry(input: input.shape, weight: weight.shape, stride: stride,
                                       padding: padding, dilation: dilation, groups: groups)
    if let bias { precondition(bias.shape == [geometry.outChannels], "bias \(bias.shape) for \(geometry)") }
    return convolution(input, weight: weight, bias: bias, geometry: geometry)
}

/// 2-D transposed convolution (PyTorch's `F.conv_transpose2d`): the gradient of
/// ``conv2d(_:weight:bias:stride:padding:dilation:groups:)`` with respect to its
/// input, so it upsamples by `stride`.
///
/// Each input sample scatters `weight[c, o, ·, ·]` into the output:
/// `output[n, g·O/groups + o, y·stride + ky·dilation − padding, x·stride + kx·dilation − padding] +=
/// input[n, c, y, x] · weight[c, o, ky, kx]`, plus `bias`. Differentiable in all three arguments.
///
/// ```swift
/// let up = convTranspose2d(x, weight: w, stride: 2, padding: 1, outputPadding: 1)  // 2x upsampling with a 3x3 kernel
/// ```
/// - Parameters:
///   - input: `[N, C, H, W]`.
///   - weight: `[C, O / groups, kH, kW]` (input channels first, unlike `conv2d`).
///   - bias: `[O]`, or `nil` for none.
///   - stride, padding, dilation: those of the convolution this transposes.
///   - outputPadding: extra rows and columns on the bottom and right, to pick one
///     of the output sizes that a strided convolution maps to the same input size;
///     must be smaller than `stride` or `dilation`.
///   - groups: independent channel groups, as in `conv2d`.
/// - Returns: `[N, O, outH, outW]` with
///   `outH = (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1`, likewise `outW`.
public func convTranspose2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Pair = 1,
                            padding: Pair = 0, outputPadding: Pair = 0, dilation: Pair = 1,
                            groups: Int = 1) -> Tensor {
    precondition(input.shape.rank == 4 && weight.shape.rank == 4,
                 "convTranspose2d takes input [N, C, H, W] and weight [C, O / groups, kH, kW], got \(input.shape), \(weight.shape)")
    precondition(padding.first >= 0 && padding.second >= 0, "negative padding \(padding)")
    precondition(outputPadding.first >= 0 && outputPadding.second >= 0
                 && (outputPadding.first < stride.first || outputPadding.first < dilation.first)
                 && (outputPadding.second < stride.second || outputPadding.second < dilation.second),
                 "output padding \(outputPadding) must be smaller than stride \(stride) or dilation \(dilation)")
    precondition(groups >= 1 && weight.shape[0] % groups == 0, "\(groups) groups for weight \(weight.shape)")
    let outChannels = weight.shape[1] * groups
    let size = { (length: Int, axis: Int, stride: Int, padding: Int, dilation: Int, extra: Int) in
        (length - 1) * stride - 2 * padding + dilation * (weight.shape[axis] - 1) + extra + 1
    }
    let outputShape: Shape = [
        input.shape[0], outChannels,
        size(input.shape[2], 2, stride.first, padding.first, dilation.first, outputPadding.first),
        size(input.shape[3], 3, stride.second, padding.second, dilation.second, outputPadding.second),
    ]
    // The convolution whose input gradient this is: it maps `outputShape` to the input's shape.
    let geometry = ConvolutionGeometry(input: outputShape, weight: weight.shape, stride: stride, padding: padding,
                                       dilation: dilation, groups: groups,
                                       outputSize: Pair(input.shape[2], input.shape[3]))
    precondition(input.shape == geometry.outputShape, "input \(input.shape) for transposed \(geometry)")
    if let bias { precondition(bias.shape == [outChannels], "bias \(bias.shape) for \(outChannels) output channels") }
    return transposedConvolution(input, weight: weight, bias: bias, geometry: geometry)
}

/// The recorded convolution `geometry` describes. Its backward rule is made of the
/// recorded transposed convolution and weight gradient, so it can be
/// differentiated twice (except through bfloat16 operands, ``MixedPrecision``).
func convolution(_ input: Tensor, weight: Tensor, bias: Tensor?, geometry: ConvolutionGeometry) -> Tensor {
    let (x, w) = MixedPrecision.operands(input, weight)
    let output = Convolution.forward(x, weight: w, bias: bias, geometry: geometry)
    let inputs = [input, weight] + (bias.map { [$0] } ?? [])
    return output.recorded(.conv2d, inputs: inputs) { gradient in
        [input.needsGradient ? transposedConvolution(gradient, weight: w, bias: nil, geometry: geometry) : nil,
         weight.needsGradient ? convolutionWeightGradient(gradient, input: x, geometry: geometry) : nil]
            + (bias.map { [$0.needsGradient ? biasGradient(gradient) : nil] } ?? [])
    }
}

/// The recorded transposed convolution of `input`, shaped like the output of the
/// convolution `geometry` describes, back to that convolution's input shape.
func transposedConvolution(_ input: Tensor, weight: Tensor, bias: Tensor?, geometry: ConvolutionGeometry) -> Tensor {
    let (x, w) = MixedPrecision.operands(input, weight)
    let output = Convolution.inputGradient(x, weight: w, geometry: geometry)
    if let bias { addBias(bias, to: output) }
    let inputs = [input, weight] + (bias.map { [$0] } ?? [])
    return output.recorded(.convTranspose2d, inputs: inputs) { gradient in
        [input.needsGradient ? convolution(gradient, weight: w, bias: nil, geometry: geometry) : nil,
         weight.needsGradient ? convolutionWeightGradient(x, input: gradient, geometry: geometry) : nil]
            + (bias.map { [$0.needsGradient ? biasGradient(gradient) : nil] } ?? [])
    }
}

/// The recorded gradient of a convolution's weight, `∂⟨g, conv(x, W)⟩/∂W`, from
/// the output gradient `g` and the input `x`. It is bilinear: for an incoming
/// gradient `S` shaped like the weight, `∂/∂g = conv(x, S)` and `∂/∂x = convᵀ(g, S)`.
func convolutionWeightGradient(_ outputGradient: Tensor, input: Tensor, geometry: ConvolutionGeometry) -> Tensor {
    Convolution.weightGradient(outputGradient, input: input, geometry: geometry)
        .recorded(.conv2dWeightGradient, inputs: [outputGradient, input]) { gradient in
            [outputGradient.needsGradient ? convolution(input, weight: gradient, bias: nil, geometry: geometry) : nil,
             input.needsGradient ? transposedConvolution(outputGradient, weight: gradient, bias: nil, geometry: geometry) : nil]
        }
}

/// The bias gradient: the output gradient summed over batch and space; recorded
/// when the backward pass is.
private func biasGradient(_ outputGradient: Tensor) -> Tensor {
    GradientMode.isEnabled ? outputGradient.sum(axes: [0, 2, 3]) : Convolution.biasGradient(outputGradient)
}

/// Adds `bias [O]` to every plane of a freshly computed `[N, O, H, W]` output.
private func addBias(_ bias: Tensor, to output: Tensor) {
    let (channels, plane) = (output.shape[1], output.shape[2] * output.shape[3])
    let (values, target) = (bias.storage.pointer, output.storage.pointer)
    parallelFor(output.shape[0] * channels) { planes in
        for p in planes {
            let value = values[p % channels]
            for i in 0..<plane { target[p * plane + i] += value }
        }
    }
}
