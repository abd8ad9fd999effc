/// The sizes of one 2-D convolution:
/// `input [N, C, H, W] ⋆ weight [O, C / groups, kH, kW] -> output [N, O, outH, outW]`.
///
/// Also describes a transposed convolution, as the convolution whose input
/// gradient it computes, and the stride-1 input gradient itself, as a convolution
/// with ``transposed`` geometry; that is why padding may be negative here.
struct ConvolutionGeometry: Sendable, CustomStringConvertible {
    let batch, inChannels, inHeight, inWidth: Int
    let outChannels, kernelHeight, kernelWidth: Int
    let stride, padding, dilation: Pair
    let groups: Int
    let outHeight, outWidth: Int

    /// - Parameter outputSize: overrides the usual
    ///   `(in + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1`; transposed
    ///   convolutions with output padding need a smaller one.
    init(input: Shape, weight: Shape, stride: Pair, padding: Pair, dilation: Pair, groups: Int,
         outputSize: Pair? = nil) {
        precondition(input.rank == 4, "convolution input must be [N, C, H, W], got \(input)")
        precondition(weight.rank == 4, "convolution weight must be [O, C / groups, kH, kW], got \(weight)")
        precondition(groups >= 1 && input[1] % groups == 0 && weight[0] % groups == 0,
                     "\(groups) groups do not divide \(input[1]) input and \(weight[0]) output channels")
        precondition(weight[1] * groups == input[1],
                     "weight \(weight) with \(groups) groups does not match \(input[1]) input channels")
        precondition(stride.first >= 1 && stride.second >= 1 && dilation.first >= 1 && dilation.second >= 1,
                     "stride \(stride) and dilation \(dilation) must be positive")
        (batch, inChannels, inHeight, inWidth) = (input[0], input[1], input[2], input[3])
        (outChannels, kernelHeight, kernelWidth) = (weight[0], weight[2], weight[3])
        (self.stride, self.padding, self.dilation, self.groups) = (stride, padding, dilation, groups)
        outHeight = outputSize?.first
            ?? (inHeight + 2 * padding.first - dilation.first * (kernelHeight - 1) - 1) / stride.first + 1
        outWidth = outputSize?.second
            ?? (inWidth + 2 * padding.second - dilation.second * (kernelWidth - 1) - 1) / stride.second + 1
        precondition(outHeight >= 1 && outWidth >= 1 && kernelHeight >= 1 && kernelWidth >= 1,
                     "convolution of \(input) with \(weight) leaves no output (padding \(padding), dilation \(dilation))")
    }

    var inChannelsPerGroup: Int { inChannels / groups }
    var outChannelsPerGroup: Int { outChannels / groups }
    var kernelArea: Int { kernelHeight * kernelWidth }
    var inPlane: Int { inHeight * inWidth }
    var outPlane: Int { outHeight * outWidth }
    /// Weights of one group, `[O / groups, C / groups, kH, kW]`.
    var groupWeightCount: Int { outChannelsPerGroup * inChannelsPerGroup * kernelArea }

    var inputShape: Shape { [batch, inChannels, inHeight, inWidth] }
    var weightShape: Shape { [outChannels, inChannelsPerGroup, kernelHeight, kernelWidth] }
    var outputShape: Shape { [batch, outChannels, outHeight, outWidth] }

    var hasUnitStride: Bool { stride == 1 }
    var isDepthwise: Bool { groups > 1 && groups == inChannels && groups == outChannels }
    /// A 1x1 convolution that is a plain matrix product per image.
    var isPointwise: Bool {
        kernelArea == 1 && hasUnitStride && padding == 0 && outHeight == inHeight && outWidth == inWidth
    }

    /// The stride-1 convolution computing this one's input gradient: it maps the
    /// output gradient `[N, O, outH, outW]` through ``transposedWeight(_:)`` to
    /// `[N, C, H, W]`, with padding `dilation * (kernel - 1) - padding`.
    var transposed: ConvolutionGeometry {
        precondition(hasUnitStride, "only stride-1 convolutions have a convolution as input gradient")
        return ConvolutionGeometry(
            input: outputShape, weight: [inChannels, outChannelsPerGroup, kernelHeight, kernelWidth],
            stride: 1,
            padding: Pair(dilation.first * (kernelHeight - 1) - padding.first,
                          dilation.second * (kernelWidth - 1) - padding.second),
            dilation: dilation, groups: groups, outputSize: Pair(inHeight, inWidth))
    }

    /// `weight [O, C / g, kH, kW]` flipped in space with input and output channels
    /// swapped within each group: `[C, O / g, kH, kW]`.
    func transposedWeight(_ weight: UnsafePointer<Float>) -> Tensor {
        let (cg, og, area) = (inChannelsPerGroup, outChannelsPerGroup, kernelArea)
        return Tensor(shape: [inChannels, og, kernelHeight, kernelWidth]) { result in
            for group in 0..<groups {
                for o in 0..<og {
                    for c in 0..<cg {
                        let source = weight + ((group * og + o) * cg + c) * area
                        let target = result.baseAddress! + ((group * cg + c) * og + o) * area
                        for tap in 0..<area { target[tap] = source[area - 1 - tap] }
                    }
                }
            }
        }
    }

    var description: String {
        "conv \(inputShape) ⋆ \(weightShape) -> \(outputShape), stride \(stride), padding \(padding), dilation \(dilation), groups \(groups)"
    }
}

/// How a convolution is computed. Every algorithm gives the same result up to
/// float rounding; tests run each against a naive reference.
enum ConvolutionAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// SIMD kernel over zero-padded planes; stride 1 only.
    case direct(InstructionSet)
    /// SIMD kernel for one input channel per output channel; stride 1 only.
    case depthwise(InstructionSet)
    /// Unfolds patches (im2col) and multiplies with BLAS; any geometry.
    case matrixMultiply

    /// The fastest algorithm for a forward pass with this geometry.
    static func preferred(for geometry: ConvolutionGeometry) -> ConvolutionAlgorithm {
        if !geometry.hasUnitStride || geometry.isPointwise { return .matrixMultiply }
        return geometry.isDepthwise ? .depthwise(.active) : .direct(.active)
    }

    func supports(_ geometry: ConvolutionGeometry) -> Bool {
        switch self {
        case .direct(let isa): isa.isSupported && geometry.hasUnitStride
        case .depthwise(let isa): isa.isSupported && geometry.hasUnitStride && geometry.isDepthwise
        case .matrixMultiply: true
        }
    }

    var description: String {
        switch self {
        case .direct(let isa): "direct(\(isa))"
        case .depthwise(let isa): "depthwise(\(isa))"
        case .matrixMultiply: "matrixMultiply"
        }
    }
}
