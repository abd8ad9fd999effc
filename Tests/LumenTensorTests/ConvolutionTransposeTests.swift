import Testing
@testable import LumenTensor

struct TransposedConvolutionCase: CustomTestStringConvertible, Sendable {
    var batch = 2
    var inChannels: Int, outChannels: Int, height: Int, width: Int
    var kernel: Pair = 3, stride: Pair = 1, padding: Pair = 0, outputPadding: Pair = 0, dilation: Pair = 1
    var groups = 1

    var weightShape: Shape { [inChannels, outChannels / groups, kernel.first, kernel.second] }
    var outHeight: Int { (height - 1) * stride.first - 2 * padding.first + dilation.first * (kernel.first - 1) + outputPadding.first + 1 }
    var outWidth: Int { (width - 1) * stride.second - 2 * padding.second + dilation.second * (kernel.second - 1) + outputPadding.second + 1 }
    var testDescription: String {
        "\(inChannels)->\(outChannels) \(height)x\(width) k\(kernel) s\(stride) p\(padding) op\(outputPadding) d\(dilation) g\(groups)"
    }

    static let all: [TransposedConvolutionCase] = [
        .init(inChannels: 3, outChannels: 5, height: 7, width: 5, padding: 1),
        .init(inChannels: 4, outChannels: 6, height: 6, width: 5, stride: 2, padding: 1, outputPadding: 1),
        .init(inChannels: 4, outChannels: 6, height: 5, width: 7, kernel: 4, stride: 2, padding: 1, groups: 2),
        .init(inChannels: 4, outChannels: 4, height: 7, width: 6, stride: [2, 3], padding: [0, 2], outputPadding: [1, 2], dilation: [2, 1], groups: 4),
        .init(inChannels: 3, outChannels: 2, height: 5, width: 5, stride: 1, padding: 1, outputPadding: [1, 0], dilation: 2),
        .init(inChannels: 6, outChannels: 3, height: 4, width: 30, kernel: 1, padding: 0),
    ]

    /// Naive scatter, in Double.
    func reference(_ x: [Float], _ w: [Float], _ bias: [Float]) -> [Double] {
        let (cg, og) = (inChannels / groups, outChannels / groups)
        var y = [Double](repeating: 0, count: batch * outChannels * outHeight * outWidth)
        for n in 0..<batch { for c in 0..<inChannels { for iy in 0..<height { for ix in 0..<width {
            for o in 0..<og { for ky in 0..<kernel.first { for kx in 0..<kernel.second {
                let oy = iy * stride.first - padding.first + ky * dilation.first
                let ox = ix * stride.second - padding.second + kx * dilation.second
                guard oy >= 0, oy < outHeight, ox >= 0, ox < outWidth else { continue }
                let channel = (c / cg) * og + o
                y[((n * outChannels + channel) * outHeight + oy) * outWidth + ox] +=
                    Double(x[((n * inChannels + c) * height + iy) * width + ix])
                    * Double(w[((c * og + o) * kernel.first + ky) * kernel.second + kx])
            } } }
        } } } }
        let plane = outHeight * outWidth
        for i in y.indices { y[i] += Double(bias[(i / plane) % outChannels]) }
        return y
    }

    func apply(_ x: Tensor, _ w: Tensor, _ bias: Tensor?) -> Tensor {
        convTranspose2d(x, weight: w, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding,
                        dilation: dilation, groups: groups)
    }
}

/// `Σ output · projection` for tensors without a graph, in Double.
private func projected(_ output: Tensor, _ projection: Tensor) -> Double {
    zip(output.scalars, projection.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}

/// Checks autograd's gradients of `Σ f(inputs) · projection` against central
/// differences at a few elements of each input.
private func checkGradients(_ inputs: [Tensor], _ f: ([Tensor]) -> Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
    let output = f(inputs)
    let projection = randomTensor(output.shape, seed: 99)
    output.backward(seed: projection)
    for (index, input) in inputs.enumerated() {
        let analytic = input.gradient!.scalars
        for element in Set([0, input.scalarCount / 3, input.scalarCount - 1]) {
            let epsilon: Float = 1e-2
            func value(_ shift: Float) -> Double {
                let shifted = inputs.map { $0.detached().copied() }
                shifted[index].withUnsafeMutableBufferPointer { $0[element] += shift }
                return withoutGradients { projected(f(shifted), projection) }
            }
            let numeric = (value(epsilon) - value(-epsilon)) / Double(2 * epsilon)
            #expect(abs(numeric - Double(analytic[element])) <= 1e-2 * max(1, abs(numeric)),
                    "input \(index)[\(element)]: autograd \(analytic[element]), numeric \(numeric)", sourceLocation: sourceLocation)
        }
    }
}

@Suite struct ConvolutionTransposeTests {
    @Test(arguments: TransposedConvolutionCase.all)
    func matchesNaiveScatter(_ c: TransposedConvolutionCase) {
        let x = randomTensor([c.batch, c.inChannels, c.height, c.width], seed: 11)
        let w = randomTensor(c.weightShape, seed: 12), bias = randomTensor([c.outChannels], seed: 13)
        let y = c.apply(x, w, bias)
        #expect(y.shape == [c.batch, c.outChannels, c.outHeight, c.outWidth])
        expectClose(y, c.reference(x.scalars, w.scalars, bias.scalars), "convTranspose2d")
    }

    @Test(arguments: TransposedConvolutionCase.all)
    func gradientsMatchFiniteDifferences(_ c: TransposedConvolutionCase) {
        let inputs = [randomTensor([1, c.inChannels, c.height, c.width], seed: 14, requiresGradient: true),
                      randomTensor(c.weightShape, seed: 15, requiresGradient: true),
                      randomTensor([c.outChannels], seed: 16, requiresGradient: true)]
        var single = c
        single.batch = 1
        checkGradients(inputs) { single.apply($0[0], $0[1], $0[2]) }
    }

    @Test(arguments: ConvolutionCase.all)
    func convolutionGradientsMatchFiniteDifferences(_ c: ConvolutionCase) {
        let inputs = [randomTensor(c.inputShape, seed: 17, requiresGradient: true),
                      randomTensor(c.weightShape, seed: 18, requiresGradient: true),
                      randomTensor([c.outChannels], seed: 19, requiresGradient: true)]
        checkGradients(inputs) {
            conv2d($0[0], weight: $0[1], bias: $0[2], stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups)
        }
    }

    /// Every path gives bit-identical results with one and two threads.
    @Test func resultsDoNotDependOnThreadCount() {
        let cases = [ConvolutionCase(inChannels: 8, outChannels: 12, height: 41, width: 67, padding: 1),
                     ConvolutionCase(inChannels: 8, outChannels: 8, height: 41, width: 67, padding: 1, groups: 8),
                     ConvolutionCase(inChannels: 8, outChannels: 6, height: 41, width: 67, stride: 2, padding: 1, groups: 2)]
        let saved = Runtime.threadCount
        defer { Runtime.threadCount = saved }
        for c in cases {
            let g = c.geometry
            let x = randomTensor(c.inputShape, seed: 20), w = randomTensor(c.weightShape, seed: 21)
            let bias = randomTensor([c.outChannels], seed: 22), dy = randomTensor(g.outputShape, seed: 23)
            func run() -> [[Float]] {
                ConvolutionAlgorithm.all(for: g).flatMap { algorithm -> [[Float]] in
                    var results = [Convolution.forward(x, weight: w, bias: bias, geometry: g, algorithm: algorithm).scalars]
                    if case .depthwise = algorithm { return results }
                    results.append(Convolution.weightGradient(dy, input: x, geometry: g, algorithm: algorithm).scalars)
                    if g.hasUnitStride || algorithm == .matrixMultiply {
                        results.append(Convolution.inputGradient(dy, weight: w, geometry: g, algorithm: algorithm).scalars)
                    }
                    return results
                }
            }
            Runtime.threadCount = 1
            let single = run()
            Runtime.threadCount = 2
            #expect(run() == single, "\(c.testDescription)")
        }
    }
}
