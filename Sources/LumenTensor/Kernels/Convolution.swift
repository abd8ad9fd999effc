/// Convolution forward and backward computations on tensors, outside the autograd
/// graph; `conv2d` and `convTranspose2d` compose them into differentiable ops.
///
/// Each function takes an optional algorithm so tests can run every path; by
/// default the fastest one for the geometry is used.
enum Convolution {
    /// `[N, O, outH, outW]`: `input ⋆ weight + bias`.
    static func forward(_ input: Tensor, weight: Tensor, bias: Tensor?, geometry g: ConvolutionGeometry,
                        algorithm: ConvolutionAlgorithm? = nil) -> Tensor {
        let algorithm = algorithm ?? .preferred(for: g)
        precondition(algorithm.supports(g), "\(algorithm) cannot compute \(g)")
        precondition(input.shape == g.inputShape && weight.shape == g.weightShape, "tensors do not match \(g)")
        return Tensor(shape: g.outputShape) { output in
            let (x, w, b, y) = (input.storage.pointer, weight.storage.pointer, bias?.storage.pointer, output.baseAddress!)
            switch algorithm {
            case .direct(let isa): DirectConvolution.forward(input: x, weight: w, bias: b, output: y, geometry: g, isa: isa)
            case .depthwise(let isa): DirectConvolution.depthwise(input: x, weight: w, bias: b, output: y, geometry: g, isa: isa)
            case .matrixMultiply: MatrixMultiplyConvolution.forward(input: x, weight: w, bias: b, output: y, geometry: g)
            }
        }
    }

    /// `[N, C, H, W]`: the gradient with respect to the input, given the output
    /// gradient `[N, O, outH, outW]`.
    ///
    /// With stride 1 this is itself a convolution (of the gradient with the flipped,
    /// channel-transposed weight), so it runs on the fast forward kernels; the
    /// algorithm then names the kernel of that convolution. `.matrixMultiply`, and
    /// every strided geometry, folds `weightᵀ · gradient` back onto the input.
    static func inputGradient(_ outputGradient: Tensor, weight: Tensor, geometry g: ConvolutionGeometry,
                              algorithm: ConvolutionAlgorithm? = nil) -> Tensor {
        precondition(outputGradient.shape == g.outputShape, "output gradient \(outputGradient.shape) for \(g)")
        if g.hasUnitStride && algorithm != .matrixMultiply {
            let transposed = g.transposed
            let flipped = g.transposedWeight(weight.storage.pointer)
            return forward(outputGradient, weight: flipped, bias: nil, geometry: transposed,
                           algorithm: algorithm ?? .preferred(for: transposed))
        }
        precondition(algorithm == nil || algorithm == .matrixMultiply, "\(algorithm!) cannot compute \(g)")
        return Tensor(shape: g.inputShape) { result in
            result.initialize(repeating: 0)
            MatrixMultiplyConvolution.inputGradient(outputGradient: outputGradient.storage.pointer,
                                                    weight: weight.storage.pointer,
                                                    into: result.baseAddress!, geometry: g)
        }
    }

    /// `[O, C / groups, kH, kW]`: the gradient with respect to the weight, summed over
    /// the batch. `.direct` needs stride 1; the default uses it whenever it can.
    static func weightGradient(_ outputGradient: Tensor, input: Tensor, geometry g: ConvolutionGeometry,
                               algorithm: ConvolutionAlgorithm? = nil) -> Tensor {
        precondition(outputGradient.shape == g.outputShape && input.shape == g.inputShape, "tensors do not match \(g)")
        let algorithm = algorithm ?? (g.hasUnitStride && !g.isPointwise ? .direct(.active) : .matrixMultiply)
        return Tensor(shape: g.weightShape) { result in
            let (x, dy, dw) = (input.storage.pointer, outputGradient.storage.pointer, result.baseAddress!)
            switch algorithm {
            case .direct(let isa):
                precondition(algorithm.supports(g), "\(algorithm) cannot compute \(g)")
                DirectConvolution.weightGradient(input: x, outputGradient: dy, into: dw, geometry: g, isa: isa)
            case .depthwise: preconditionFailure("no depthwise weight-gradient kernel; use .direct")
            case .matrixMultiply:
                MatrixMultiplyConvolution.weightGradient(input: x, outputGradient: dy, into: dw, geometry: g)
            }
        }
    }

    /// `[O]`: the output gradient `[N, O, H, W]` summed over batch and space, in Double.
    static func biasGradient(_ outputGradient: Tensor) -> Tensor {
        let (batch, channels) = (outputGradient.shape[0], outputGradient.shape[1])
        let plane = outputGradient.shape[2] * outputGradient.shape[3]
        let gradient = outputGradient.storage.pointer
        return Tensor(shape: [channels]) { result in
            parallelFor(channels) { range in
                for o in range {
                    var sum = 0.0
                    for n in 0..<batch {
                        let source = gradient + (n * channels + o) * plane
                        for i in 0..<plane { sum += Double(source[i]) }
                    }
                    result[o] = Float(sum)
                }
            }
        }
    }
}
