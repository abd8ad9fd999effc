import CLumenKernels

/// What an int8 convolution writes.
public enum Int8ConvolutionOutput: Sendable, Equatable {
    /// Bytes `round(value / scale) + zeroPoint`, clamped to `[zeroPoint, maximum]`
    /// with a fused ReLU, else to `[0, maximum]`.
    case bytes(scale: Float, zeroPoint: UInt8, maximum: UInt8 = 255, relu: Bool)
    /// Floats, for the float tail of a network (tanh, sigmoid, the curve steps).
    case floats
}

/// A stride-1 convolution of ``QuantizedActivations`` with per-output-channel
/// symmetric int8 weights, accumulated exactly in int32.
///
/// Weight `w[o][c][ky][kx] ≈ weightScales[o] · q`, input `x ≈ s · (byte − z)`, so
/// `Σ w·x ≈ s · weightScales[o] · (Σ q·byte − z · Σ q)`. The sum of products is
/// exact; bias, the zero-point term, requantisation and ReLU are applied in the
/// kernel's epilogue, in float, so the activations never leave int8 between
/// convolutions. The bias stays float: a dead filter's weight scale is ~0 and its
/// bias in accumulator units would not fit an int32.
public struct Int8Convolution: Sendable {
    public let inChannels, outChannels, kernelHeight, kernelWidth, padding: Int
    /// The largest weight magnitude, which with the input's largest byte decides
    /// the kernels that compute it exactly.
    public let maxWeight: Int
    public let output: Int8ConvolutionOutput
    let packed: [Int8]
    let epilogue: Epilogue

    /// The per-channel constants of the kernels' epilogue, padded to whole quads.
    struct Epilogue: Sendable {
        let accumulatorOffset: [Int32], multiplier: [Float], offset: [Float], low: Float, high: Float

        /// `value = s · weightScale · (acc − z · Σ q) + bias`, expressed in `output`'s units.
        init(weights: [Int8], outChannels: Int, weightScales: [Float], bias: [Float],
             inputScale: Float, inputZeroPoint: UInt8, output: Int8ConvolutionOutput) {
            let quadChannels = (outChannels + 3) / 4 * 4
            let perChannel = weights.count / outChannels
            var accumulatorOffset = [Int32](repeating: 0, count: quadChannels)
            var multiplier = [Float](repeating: 0, count: quadChannels)
            var offset = [Float](repeating: 0, count: quadChannels)
            let (outputScale, outputZero, top): (Double, Double, Float) = switch output {
            case .bytes(let scale, let zero, let maximum, _): (Double(scale), Double(zero), Float(maximum))
            case .floats: (1, 0, 255)
            }
            for o in 0..<outChannels {
                let sum = weights[o * perChannel ..< (o + 1) * perChannel].reduce(0) { $0 + Int32($1) }
                accumulatorOffset[o] = -Int32(inputZeroPoint) * sum
                multiplier[o] = Float(Double(inputScale) * Double(weightScales[o]) / outputScale)
                offset[o] = Float(Double(bias[o]) / outputScale + outputZero)
            }
            let low: Float = if case .bytes(_, let zero, _, true) = output { Float(zero) } else { 0 }
            (self.accumulatorOffset, self.multiplier, self.offset, self.low, high) = (accumulatorOffset, multiplier, offset, low, top)
        }

        func withKernelEpilogue<R>(_ body: (UnsafePointer<lumen_qconv_epilogue>) -> R) -> R {
            accumulatorOffset.withUnsafeBufferPointer { shift in
                multiplier.withUnsafeBufferPointer { multiplier in
                    offset.withUnsafeBufferPointer { offset in
                        var epilogue = lumen_qconv_epilogue(acc_offset: shift.baseAddress, multiplier: multiplier.baseAddress,
                                                            offset: offset.baseAddress, low: low, high: high)
                        return body(&epilogue)
                    }
                }
            }
        }
    }

    /// - Parameters:
    ///   - weights: `[outChannels][inChannels][kernelHeight][kernelWidth]` integers.
    ///   - weightScales: one per output channel.
    ///   - bias: one per output channel, in real units.
    ///   - inputScale, inputZeroPoint: those of the activations this convolution reads.
    public init(weights: [Int8], outChannels: Int, inChannels: Int, kernelHeight: Int, kernelWidth: Int,
                padding: Int, weightScales: [Float], bias: [Float], inputScale: Float, inputZeroPoint: UInt8,
                output: Int8ConvolutionOutput) {
        precondition(weights.count == outChannels * inChannels * kernelHeight * kernelWidth,
                     "\(weights.count) weights for \(outChannels)x\(inChannels)x\(kernelHeight)x\(kernelWidth)")
        precondition(weightScales.count == outChannels && bias.count == outChannels, "one weight scale and bias per output channel")
        precondition(padding >= 0 && kernelHeight >= 1 && kernelWidth >= 1, "bad kernel \(kernelHeight)x\(kernelWidth), padding \(padding)")
        (self.inChannels, self.outChannels, self.kernelHeight, self.kernelWidth) = (inChannels, outChannels, kernelHeight, kernelWidth)
        (self.padding, self.output) = (padding, output)
        maxWeight = weights.map { abs(Int($0)) }.max() ?? 0
        var packed = [Int8](repeating: 0, count: lumen_qconv_packed_weight_count(
            Int32(outChannels), Int32(inChannels), Int32(kernelHeight), Int32(kernelWidth)))
        weights.withUnsafeBufferPointer { source in
            packed.withUnsafeMutableBufferPointer { target in
                lumen_qconv_pack_weights(source.baseAddress, Int32(outChannels), Int32(inChannels),
                                         Int32(kernelHeight), Int32(kernelWidth), target.baseAddress)
            }
        }
        self.packed = packed
        epilogue = Epilogue(weights: weights, outChannels: outChannels, weightScales: weightScales, bias: bias,
                            inputScale: inputScale, inputZeroPoint: inputZeroPoint, output: output)
    }

    /// The output size for an input of `height x width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        (height + 2 * padding - kernelHeight + 1, width + 2 * padding - kernelWidth + 1)
    }

    /// Writes the convolution of `input` into `output` (whose scale and zero point
    /// must be this convolution's ``output``'s).
    public func callAsFunction(_ input: QuantizedActivations, into output: QuantizedActivations,
                               using isa: Int8InstructionSet? = nil) {
        guard case .bytes(let scale, let zero, let maximum, _) = self.output else { preconditionFailure("this convolution writes floats") }
        precondition(output.scale == scale && output.zeroPoint == zero && output.maximum == maximum,
                     "output activations scaled \(output.scale), \(output.zeroPoint), \(output.maximum), not \(scale), \(zero), \(maximum)")
        precondition(output.channels == outChannels, "\(output.channels) output channels, not \(outChannels)")
        let size = outputSize(height: input.height, width: input.width)
        precondition(output.height == size.height && output.width == size.width, "output \(output.height)x\(output.width), not \(size)")
        run(input, bytes: output.interior(quad: 0), floats: nil, outRowStride: output.rowStride,
            outPlaneStride: output.quadStride, isa: isa)
    }

    /// The convolution of `input` as floats `[1, outChannels, H', W']`.
    public func floats(_ input: QuantizedActivations, using isa: Int8InstructionSet? = nil) -> Tensor {
        precondition(output == .floats, "this convolution writes bytes")
        let size = outputSize(height: input.height, width: input.width)
        return Tensor(shape: [1, outChannels, size.height, size.width]) { target in
            run(input, bytes: nil, floats: target.baseAddress, outRowStride: size.width,
                outPlaneStride: size.height * size.width, isa: isa)
        }
    }

    private func run(_ input: QuantizedActivations, bytes: UnsafeMutablePointer<UInt8>?, floats: UnsafeMutablePointer<Float>?,
                     outRowStride: Int, outPlaneStride: Int, isa: Int8InstructionSet?) {
        precondition(input.channels == inChannels, "\(input.channels) input channels, not \(inChannels)")
        precondition(input.border >= padding, "input border \(input.border) is narrower than the padding \(padding)")
        let maxInput = Int(input.maximum)
        let isa = isa ?? .forConvolution(maxWeight: maxWeight, maxInput: maxInput)
        precondition(isa.isExact(maxWeight: maxWeight, maxInput: maxInput), "\(isa) is not exact for weights up to \(maxWeight) on bytes up to \(maxInput)")
        let size = outputSize(height: input.height, width: input.width)
        precondition(size.height >= 1 && size.width >= 1, "a \(kernelHeight)x\(kernelWidth) kernel leaves no output of \(input.height)x\(input.width)")
        var shape = lumen_qconv_shape(
            in_groups: Int32(input.quads), out_channels: Int32(outChannels),
            kernel_h: Int32(kernelHeight), kernel_w: Int32(kernelWidth), out_h: Int32(size.height), out_w: Int32(size.width),
            in_row_stride: input.rowStride, in_group_stride: input.quadStride,
            out_row_stride: outRowStride, out_plane_stride: outPlaneStride)
        let window = UnsafePointer(input.interior(quad: 0) - 4 * padding * (input.rowStride + 1))
        let (bytesOut, floatsOut) = (UncheckedSendable(bytes), UncheckedSendable(floats))
        packed.withUnsafeBufferPointer { weights in
            epilogue.withKernelEpilogue { epilogue in
                withUnsafePointer(to: &shape) { shape in
                    parallelFor(size.height) { rows in
                        lumen_qconv(isa.code, shape, window, weights.baseAddress, epilogue, bytesOut.value, floatsOut.value,
                                    Int32(rows.lowerBound), Int32(rows.upperBound))
                    }
                }
            }
        }
    }
}
