import CLumenKernels

/// Zero-padded copies of one image's planes, with rows long enough for the direct
/// kernels to read whole tiles without bounds checks.
struct PaddedPlanes {
    let count, rows, rowStride: Int
    let storage: TensorStorage

    /// Room for `count` planes read by a convolution with `geometry`'s kernel,
    /// dilation and output size.
    init(count: Int, geometry g: ConvolutionGeometry) {
        self.count = count
        rows = g.outHeight + g.dilation.first * (g.kernelHeight - 1)
        rowStride = lumen_conv_padded_row_stride(Int32(g.outWidth), Int32(g.kernelWidth), Int32(g.dilation.second))
        storage = TensorStorage(count: count * rows * rowStride)
    }

    var planeStride: Int { rows * rowStride }
    var pointer: UnsafeMutablePointer<Float> { storage.pointer }

    /// Copies `count` planes of `height x width` from `source`, shifted down and right
    /// by `padding` (negative padding crops).
    func fill(from source: UnsafePointer<Float>, height: Int, width: Int, padding: Pair) {
        parallelFor(count) { planes in
            for plane in planes {
                lumen_pad_plane(source + plane * height * width, Int32(height), Int32(width),
                                pointer + plane * planeStride, Int32(rows), rowStride,
                                Int32(padding.first), Int32(padding.second))
            }
        }
    }

    /// The kernel-side description of one group reading these planes.
    func shape(of g: ConvolutionGeometry, inChannels: Int, outChannels: Int) -> lumen_conv_shape {
        lumen_conv_shape(g, inChannels: inChannels, outChannels: outChannels, rowStride: rowStride,
                         planeStride: planeStride, padding: 0)
    }
}

extension lumen_conv_shape {
    init(_ g: ConvolutionGeometry, inChannels: Int, outChannels: Int, rowStride: Int, planeStride: Int, padding: Pair) {
        self.init(
            in_channels: Int32(inChannels), out_channels: Int32(outChannels),
            kernel_h: Int32(g.kernelHeight), kernel_w: Int32(g.kernelWidth),
            dilation_h: Int32(g.dilation.first), dilation_w: Int32(g.dilation.second),
            out_h: Int32(g.outHeight), out_w: Int32(g.outWidth),
            in_row_stride: rowStride, in_plane_stride: planeStride, out_plane_stride: g.outPlane,
            in_h: Int32(g.inHeight), in_w: Int32(g.inWidth),
            pad_top: Int32(padding.first), pad_left: Int32(padding.second))
    }
}

/// Stride-1 convolutions computed by the C kernels in `CLumenKernels`.
enum DirectConvolution {
    /// `output [N, O, outH, outW] = input ⋆ weight + bias`, split over output rows;
    /// the kernel applies the padding as it copies each tile's input window.
    static func forward(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        output: UnsafeMutablePointer<Float>, geometry g: ConvolutionGeometry, isa: InstructionSet) {
        let (cg, og) = (g.inChannelsPerGroup, g.outChannelsPerGroup)
        let packedCount = lumen_conv_packed_weight_count(Int32(og), Int32(cg), Int32(g.kernelHeight), Int32(g.kernelWidth))
        let packed = TensorStorage(count: packedCount * g.groups)
        for group in 0..<g.groups {
            lumen_conv_pack_weights(weight + group * g.groupWeightCount, Int32(og), Int32(cg),
                                    Int32(g.kernelHeight), Int32(g.kernelWidth), packed.pointer + group * packedCount)
        }
        let shape = lumen_conv_shape(g, inChannels: cg, outChannels: og, rowStride: g.inWidth,
                                     planeStride: g.inPlane, padding: g.padding)
        withUnsafePointer(to: shape) { shape in
            parallelFor(g.batch * g.outHeight) { rows in
                // Split at image boundaries: the kernel works on one image at a time.
                var row = rows.lowerBound
                while row < rows.upperBound {
                    let (n, y) = row.quotientAndRemainder(dividingBy: g.outHeight)
                    let end = min(rows.upperBound - row, g.outHeight - y) + y
                    for group in 0..<g.groups {
                        lumen_conv_direct(isa.code, shape, input + (n * g.inChannels + group * cg) * g.inPlane,
                                          packed.pointer + group * packedCount, bias.map { $0 + group * og },
                                          output + (n * g.outChannels + group * og) * g.outPlane,
                                          Int32(y), Int32(end))
                    }
                    row += end - y
                }
            }
        }
    }

    /// Forward pass of a depthwise convolution (`groups == C == O`), split over planes.
    static func depthwise(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                          output: UnsafeMutablePointer<Float>, geometry g: ConvolutionGeometry, isa: InstructionSet) {
        let padded = PaddedPlanes(count: g.inChannels, geometry: g)
        let shape = padded.shape(of: g, inChannels: 1, outChannels: 1)
        for n in 0..<g.batch {
            padded.fill(from: input + n * g.inChannels * g.inPlane, height: g.inHeight, width: g.inWidth, padding: g.padding)
            withUnsafePointer(to: shape) { shapePointer in
                parallelFor(g.outChannels) { channels in
                    for c in channels {
                        lumen_conv_depthwise(isa.code, shapePointer, padded.pointer + c * padded.planeStride,
                                             weight + c * g.kernelArea, bias?[c] ?? 0,
                                             output + (n * g.outChannels + c) * g.outPlane, 0, Int32(g.outHeight))
                    }
                }
            }
        }
    }

    /// Writes `∂loss/∂weight` (`[O, C / groups, kH, kW]`) for an output gradient
    /// `[N, O, outH, outW]`.
    ///
    /// Each fixed block of output rows accumulates its own partial sum over the
    /// batch; partials are added in block order, so the result is the same for any
    /// thread count.
    static func weightGradient(input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                               into weightGradient: UnsafeMutablePointer<Float>,
                               geometry g: ConvolutionGeometry, isa: InstructionSet) {
        let (cg, og) = (g.inChannelsPerGroup, g.outChannelsPerGroup)
        let padded = PaddedPlanes(count: g.inChannels, geometry: g)
        let shape = padded.shape(of: g, inChannels: cg, outChannels: og)
        let gradientRow = lumen_conv_gradient_row_stride(Int32(g.outWidth))
        let gradientPlane = g.outHeight * gradientRow
        let paddedGradient = TensorStorage(count: g.outChannels * gradientPlane)
        // Rows per kernel call: one group's gradient rows for that many output rows
        // (about 256 KiB) stay in L2 while every (channel, ky, kx) tile rereads them.
        let rowsPerCall = max(1, 65_536 / (og * gradientRow))
        let rowsPerBlock = max(rowsPerCall, (g.outHeight + 15) / 16)
        let blocks = (g.outHeight + rowsPerBlock - 1) / rowsPerBlock
        let weightCount = g.groups * g.groupWeightCount
        let partials = TensorStorage(count: blocks * weightCount)
        partials.pointer.initialize(repeating: 0, count: blocks * weightCount)
        for n in 0..<g.batch {
            padded.fill(from: input + n * g.inChannels * g.inPlane, height: g.inHeight, width: g.inWidth, padding: g.padding)
            parallelFor(g.outChannels) { channels in
                for o in channels {
                    lumen_pad_plane(outputGradient + (n * g.outChannels + o) * g.outPlane, Int32(g.outHeight),
                                    Int32(g.outWidth), paddedGradient.pointer + o * gradientPlane,
                                    Int32(g.outHeight), gradientRow, 0, 0)
                }
            }
            withUnsafePointer(to: shape) { shapePointer in
                parallelFor(blocks) { blockRange in
                    for block in blockRange {
                        let rows = block * rowsPerBlock ..< min(g.outHeight, (block + 1) * rowsPerBlock)
                        for group in 0..<g.groups {
                            for start in stride(from: rows.lowerBound, to: rows.upperBound, by: rowsPerCall) {
                                lumen_conv_weight_gradient(
                                    isa.code, shapePointer, padded.pointer + group * cg * padded.planeStride,
                                    paddedGradient.pointer + group * og * gradientPlane, gradientRow,
                                    partials.pointer + block * weightCount + group * g.groupWeightCount,
                                    Int32(start), Int32(min(rows.upperBound, start + rowsPerCall)))
                            }
                        }
                    }
                }
            }
        }
        parallelFor(weightCount, grain: 1024) { range in
            for i in range {
                var sum: Float = 0
                for block in 0..<blocks { sum += partials.pointer[block * weightCount + i] }
                weightGradient[i] = sum
            }
        }
    }
}
