import Testing
@testable import LumenTensor

/// One convolution geometry, run through every algorithm that supports it.
struct ConvolutionCase: CustomTestStringConvertible, Sendable {
    var batch = 2
    var inChannels: Int, outChannels: Int, height: Int, width: Int
    var kernel: Pair = 3, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1
    var groups = 1

    var inputShape: Shape { [batch, inChannels, height, width] }
    var weightShape: Shape { [outChannels, inChannels / groups, kernel.first, kernel.second] }
    var geometry: ConvolutionGeometry {
        ConvolutionGeometry(input: inputShape, weight: weightShape, stride: stride, padding: padding,
                            dilation: dilation, groups: groups)
    }
    var testDescription: String {
        "\(inChannels)->\(outChannels) \(height)x\(width) k\(kernel) s\(stride) p\(padding) d\(dilation) g\(groups)"
    }

    static let all: [ConvolutionCase] = [
        .init(inChannels: 3, outChannels: 5, height: 7, width: 5, padding: 1),
        .init(inChannels: 4, outChannels: 6, height: 13, width: 11),
        .init(inChannels: 4, outChannels: 4, height: 13, width: 11, padding: 2, dilation: 2, groups: 2),
        .init(inChannels: 6, outChannels: 6, height: 7, width: 5, padding: 1, groups: 6),
        .init(inChannels: 6, outChannels: 6, height: 13, width: 11, kernel: 5, padding: 2, dilation: [1, 2], groups: 6),
        .init(inChannels: 3, outChannels: 9, height: 13, width: 11, kernel: 5, padding: 2),
        .init(inChannels: 4, outChannels: 8, height: 7, width: 5, kernel: 1),
        .init(inChannels: 4, outChannels: 8, height: 7, width: 5, kernel: 1, padding: 1, groups: 2),
        .init(inChannels: 3, outChannels: 5, height: 13, width: 11, stride: 2, padding: 1),
        .init(inChannels: 4, outChannels: 6, height: 13, width: 11, stride: 2, dilation: 2, groups: 2),
        .init(inChannels: 4, outChannels: 4, height: 13, width: 11, stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 4),
        .init(batch: 1, inChannels: 2, outChannels: 7, height: 9, width: 101, kernel: [3, 5], padding: [1, 2]),
        .init(inChannels: 5, outChannels: 2, height: 6, width: 50, kernel: [1, 3], padding: [0, 1]),
    ]
}

/// Random values in [-1, 1] from a fixed seed.
func randomTensor(_ shape: Shape, seed: UInt64, requiresGradient: Bool = false) -> Tensor {
    var generator = SplitMix64(seed: seed)
    let tensor = Tensor.uniform(shape: shape, in: -1...1, using: &generator)
    tensor.requiresGradient = requiresGradient
    return tensor
}

func expectClose(_ actual: Tensor, _ expected: [Double], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let values = actual.scalars
    #expect(values.count == expected.count, "\(label): \(values.count) values, expected \(expected.count)")
    let worst = zip(values, expected).map { abs(Double($0) - $1) / max(1, abs($1)) }.max() ?? 0
    #expect(worst <= 1e-4, "\(label): relative error \(worst)", sourceLocation: sourceLocation)
}

/// The textbook loops, in Double: forward, input gradient and weight gradient of
/// `conv2d` for an output gradient `dy`.
struct ReferenceConvolution {
    let c: ConvolutionCase
    let g: ConvolutionGeometry

    init(_ c: ConvolutionCase) { (self.c, g) = (c, c.geometry) }

    /// Calls `body(n, o, oy, ox, inputIndex, weightIndex)` for every product in the convolution.
    func forEachTap(_ body: (_ outputIndex: Int, _ inputIndex: Int, _ weightIndex: Int) -> Void) {
        let (cg, og) = (g.inChannelsPerGroup, g.outChannelsPerGroup)
        for n in 0..<g.batch { for o in 0..<g.outChannels { for oy in 0..<g.outHeight { for ox in 0..<g.outWidth {
            for ci in 0..<cg { for ky in 0..<g.kernelHeight { for kx in 0..<g.kernelWidth {
                let iy = oy * g.stride.first - g.padding.first + ky * g.dilation.first
                let ix = ox * g.stride.second - g.padding.second + kx * g.dilation.second
                guard iy >= 0, iy < g.inHeight, ix >= 0, ix < g.inWidth else { continue }
                let channel = (o / og) * cg + ci
                body(((n * g.outChannels + o) * g.outHeight + oy) * g.outWidth + ox,
                     ((n * g.inChannels + channel) * g.inHeight + iy) * g.inWidth + ix,
                     ((o * cg + ci) * g.kernelHeight + ky) * g.kernelWidth + kx)
            } } }
        } } } }
    }

    func forward(_ x: [Float], _ w: [Float], _ bias: [Float]) -> [Double] {
        var y = [Double](repeating: 0, count: g.outputShape.elementCount)
        forEachTap { out, input, weight in y[out] += Double(x[input]) * Double(w[weight]) }
        for i in y.indices { y[i] += Double(bias[(i / g.outPlane) % g.outChannels]) }
        return y
    }

    func inputGradient(_ dy: [Float], _ w: [Float]) -> [Double] {
        var dx = [Double](repeating: 0, count: g.inputShape.elementCount)
        forEachTap { out, input, weight in dx[input] += Double(dy[out]) * Double(w[weight]) }
        return dx
    }

    func weightGradient(_ dy: [Float], _ x: [Float]) -> [Double] {
        var dw = [Double](repeating: 0, count: g.weightShape.elementCount)
        forEachTap { out, input, weight in dw[weight] += Double(dy[out]) * Double(x[input]) }
        return dw
    }
}

extension ConvolutionAlgorithm {
    /// Every algorithm this machine can run on `geometry`: the direct kernels for
    /// each supported instruction set, scalar included.
    static func all(for geometry: ConvolutionGeometry) -> [ConvolutionAlgorithm] {
        let kernels = InstructionSet.supported.flatMap { [ConvolutionAlgorithm.direct($0), .depthwise($0)] }
        return (kernels + [.matrixMultiply]).filter { $0.supports(geometry) }
    }
}

@Suite struct ConvolutionTests {
    @Test(arguments: ConvolutionCase.all)
    func everyAlgorithmMatchesTheReference(_ c: ConvolutionCase) {
        let g = c.geometry
        let x = randomTensor(c.inputShape, seed: 1), w = randomTensor(c.weightShape, seed: 2)
        let bias = randomTensor([c.outChannels], seed: 3), dy = randomTensor(g.outputShape, seed: 4)
        let reference = ReferenceConvolution(c)
        let expected = reference.forward(x.scalars, w.scalars, bias.scalars)
        let expectedInput = reference.inputGradient(dy.scalars, w.scalars)
        let expectedWeight = reference.weightGradient(dy.scalars, x.scalars)
        for algorithm in ConvolutionAlgorithm.all(for: g) {
            let y = Convolution.forward(x, weight: w, bias: bias, geometry: g, algorithm: algorithm)
            expectClose(y, expected, "forward \(algorithm)")
            if g.hasUnitStride || algorithm == .matrixMultiply {
                expectClose(Convolution.inputGradient(dy, weight: w, geometry: g, algorithm: algorithm),
                            expectedInput, "input gradient \(algorithm)")
            }
            if case .depthwise = algorithm { continue }
            expectClose(Convolution.weightGradient(dy, input: x, geometry: g, algorithm: algorithm),
                        expectedWeight, "weight gradient \(algorithm)")
        }
        let sums = (0..<c.outChannels).map { o in
            (0..<g.outputShape.elementCount).filter { ($0 / g.outPlane) % c.outChannels == o }
                .reduce(0.0) { $0 + Double(dy.scalars[$1]) }
        }
        expectClose(Convolution.biasGradient(dy), sums, "bias gradient")
    }

    @Test(arguments: ConvolutionCase.all)
    func publicOperationUsesTheDefaultPath(_ c: ConvolutionCase) {
        let x = randomTensor(c.inputShape, seed: 5), w = randomTensor(c.weightShape, seed: 6)
        let bias = randomTensor([c.outChannels], seed: 7)
        let y = conv2d(x, weight: w, bias: bias, stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups)
        #expect(y.shape == c.geometry.outputShape)
        expectClose(y, ReferenceConvolution(c).forward(x.scalars, w.scalars, bias.scalars), "conv2d")
    }

    @Test func subnormalWeightsAreFlushed() {
        let c = ConvolutionCase(batch: 1, inChannels: 8, outChannels: 8, height: 9, width: 30, padding: 1)
        let x = randomTensor(c.inputShape, seed: 8)
        let w = Tensor(shape: c.weightShape, scalars: randomTensor(c.weightShape, seed: 9).scalars.enumerated().map {
            $0.offset % 3 == 0 ? Float.leastNonzeroMagnitude * Float($0.offset % 7) : $0.element
        })
        let zero = [Float](repeating: 0, count: 8)
        let expected = ReferenceConvolution(c).forward(x.scalars, w.scalars, zero)
        for algorithm in ConvolutionAlgorithm.all(for: c.geometry) {
            expectClose(Convolution.forward(x, weight: w, bias: nil, geometry: c.geometry, algorithm: algorithm),
                        expected, "\(algorithm)")
        }
    }

    @Test func instructionSets() {
        #expect(InstructionSet.scalar.isSupported)
        #expect(InstructionSet.detected.isSupported && InstructionSet.active.isSupported)
        #expect(InstructionSet.supported.contains(.detected))
        #if arch(x86_64)
        #expect(!InstructionSet.neon.isSupported)
        #endif
    }

    @Test func pairLiterals() {
        let square: Pair = 3, rectangle: Pair = [3, 1], single: Pair = [2]
        #expect(square == Pair(3, 3) && rectangle == Pair(3, 1) && single == Pair(2, 2))
    }
}
