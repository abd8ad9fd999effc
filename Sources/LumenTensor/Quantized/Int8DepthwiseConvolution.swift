import CLumenKernels

/// A stride-1 depthwise convolution (one filter per channel) of
/// ``QuantizedActivations`` with per-channel symmetric int8 weights, written as bytes.
///
/// The arithmetic is ``Int8Convolution``'s, with one input channel per output channel.
public struct Int8DepthwiseConvolution: Sendable {
    public let channels, kernelSize, padding: Int
    public let output: Int8ConvolutionOutput
    /// `[quad][ky][kx][4]`, zero past the channels.
    let packed: [Int8]
    let epilogue: Int8Convolution.Epilogue

    /// - Parameters:
    ///   - weights: `[channels][kernelSize][kernelSize]` integers (at most 5x5).
    ///   - output: must be ``Int8ConvolutionOutput/bytes(scale:zeroPoint:relu:)``.
    public init(weights: [Int8], channels: Int, kernelSize: Int, padding: Int, weightScales: [Float], bias: [Float],
                inputScale: Float, inputZeroPoint: UInt8, output: Int8ConvolutionOutput) {
        let taps = kernelSize * kernelSize
        precondition((1...5).contains(kernelSize) && padding >= 0, "depthwise kernels are 1x1 to 5x5, got \(kernelSize), padding \(padding)")
        precondition(weights.count == channels * taps && weightScales.count == channels && bias.count == channels,
                     "\(weights.count) weights, \(weightScales.count) scales, \(bias.count) biases for \(channels) channels of \(kernelSize)x\(kernelSize)")
        guard case .bytes = output else { preconditionFailure("depthwise int8 convolutions write bytes") }
        (self.channels, self.kernelSize, self.padding, self.output) = (channels, kernelSize, padding, output)
        let quads = (channels + 3) / 4
        var packed = [Int8](repeating: 0, count: quads * taps * 4)
        for c in 0..<channels {
            for t in 0..<taps { packed[((c / 4) * taps + t) * 4 + c % 4] = weights[c * taps + t] }
        }
        self.packed = packed
        epilogue = .init(weights: weights, outChannels: channels, weightScales: weightScales, bias: bias,
                         inputScale: inputScale, inputZeroPoint: inputZeroPoint, output: output)
    }

    /// Writes the convolution of `input` into `output`.
    public func callAsFunction(_ input: QuantizedActivations, into output: QuantizedActivations,
                               using isa: Int8InstructionSet? = nil) {
        guard case .bytes(let scale, let zero, let maximum, _) = self.output else { preconditionFailure("unreachable: checked in init") }
        precondition(input.channels == channels && output.channels == channels, "\(input.channels) in, \(output.channels) out, not \(channels)")
        precondition(output.scale == scale && output.zeroPoint == zero && output.maximum == maximum,
                     "output activations scaled \(output.scale), \(output.zeroPoint), \(output.maximum), not \(scale), \(zero), \(maximum)")
        precondition(input.border >= padding, "input border \(input.border) is narrower than the padding \(padding)")
        let size = (height: input.height + 2 * padding - kernelSize + 1, width: input.width + 2 * padding - kernelSize + 1)
        precondition(output.height == size.height && output.width == size.width, "output \(output.height)x\(output.width), not \(size)")
        // Depthwise products are summed in int32 without pairing: every set is exact.
        let isa = isa ?? .active
        var shape = lumen_qconv_shape(
            in_groups: Int32(input.quads), out_channels: Int32(channels),
            kernel_h: Int32(kernelSize), kernel_w: Int32(kernelSize), out_h: Int32(size.height), out_w: Int32(size.width),
            in_row_stride: input.rowStride, in_group_stride: input.quadStride,
            out_row_stride: output.rowStride, out_plane_stride: output.quadStride)
        let window = UnsafePointer(input.interior(quad: 0) - 4 * padding * (input.rowStride + 1))
        let target = UncheckedSendable(output.interior(quad: 0))
        packed.withUnsafeBufferPointer { weights in
            epilogue.withKernelEpilogue { epilogue in
                withUnsafePointer(to: &shape) { shape in
                    parallelFor(size.height) { rows in
                        lumen_qconv_depthwise(isa.code, shape, window, weights.baseAddress, epilogue, target.value,
                                              Int32(rows.lowerBound), Int32(rows.upperBound))
                    }
                }
            }
        }
    }
}
