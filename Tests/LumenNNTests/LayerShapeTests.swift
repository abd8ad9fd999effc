import LumenNN
import LumenTensor
import Testing

/// One `Conv2d` configuration and the output it must produce for a `[2, in, H, W]` input.
struct ConvCase: CustomTestStringConvertible, Sendable {
    var input: Int, output: Int, kernel: Pair, stride: Pair = 1, padding: Pair = 0, dilation: Pair = 1, groups = 1
    var height = 7, width = 9
    var expected: Shape
    var testDescription: String { "\(input)->\(output) k\(kernel) s\(stride) p\(padding) d\(dilation) g\(groups) on \(height)x\(width)" }
}

@Suite struct LayerShapeTests {
    static let convCases: [ConvCase] = [
        ConvCase(input: 3, output: 5, kernel: 3, padding: 1, expected: [2, 5, 7, 9]),
        ConvCase(input: 4, output: 6, kernel: 3, stride: 2, padding: 1, groups: 2, expected: [2, 6, 4, 5]),
        ConvCase(input: 4, output: 4, kernel: 3, padding: 2, dilation: 2, groups: 4, height: 5, width: 6, expected: [2, 4, 5, 6]),
        ConvCase(input: 2, output: 3, kernel: [3, 1], padding: [1, 0], height: 5, width: 4, expected: [2, 3, 5, 4]),
        ConvCase(input: 3, output: 2, kernel: 1, stride: 2, expected: [2, 2, 4, 5]),
    ]

    @Test(arguments: convCases)
    func conv2dOutputShape(_ c: ConvCase) {
        var generator = SplitMix64(seed: 0)
        let conv = Conv2d(inputChannels: c.input, outputChannels: c.output, kernelSize: c.kernel, stride: c.stride,
                          padding: c.padding, dilation: c.dilation, groups: c.groups, using: &generator)
        #expect(conv.weight.shape == [c.output, c.input / c.groups, c.kernel.first, c.kernel.second])
        #expect(conv.bias?.shape == [c.output])
        let x = Tensor.uniform(shape: [2, c.input, c.height, c.width], using: &generator)
        #expect(conv(x).shape == c.expected)
    }

    @Test func groupedConvolutionKeepsGroupsApart() {
        var generator = SplitMix64(seed: 1)
        let conv = Conv2d(inputChannels: 4, outputChannels: 6, kernelSize: 3, padding: 1, groups: 2, using: &generator)
        let x = Tensor.uniform(shape: [1, 4, 5, 5], using: &generator)
        var perturbed = x.scalars
        for i in 0..<25 { perturbed[i] += 1 }   // channel 0, in the first group
        let a = conv(x).scalars, b = conv(Tensor(shape: x.shape, scalars: perturbed)).scalars
        let plane = 25
        #expect(a[0..<(3 * plane)] != b[0..<(3 * plane)])
        #expect(a[(3 * plane)...] == b[(3 * plane)...])
    }

    @Test func defaultInitialisationIsPyTorchs() {
        var generator = SplitMix64(seed: 2)
        let conv = Conv2d(inputChannels: 4, outputChannels: 8, kernelSize: 3, groups: 2, using: &generator)
        let bound = 1 / Float(2 * 3 * 3).squareRoot()
        #expect(conv.weight.scalars.allSatisfy { Swift.abs($0) <= bound })
        #expect(conv.weight.scalars.contains { Swift.abs($0) > 0.8 * bound })
        #expect(conv.bias!.scalars.allSatisfy { Swift.abs($0) <= bound })
        let linear = Linear(inputFeatures: 16, outputFeatures: 3, using: &generator)
        #expect(linear.weight.scalars.allSatisfy { Swift.abs($0) <= 0.25 })
        #expect(linear.bias!.requiresGradient && linear.weight.requiresGradient)
        let noBias = Conv2d(inputChannels: 1, outputChannels: 1, kernelSize: 1, bias: false, using: &generator)
        #expect(noBias.parameters().map(\.key) == ["weight"])
    }

    @Test(arguments: [
        (kernel: 4, stride: 2, padding: 1, outputPadding: 0, expected: 10),
        (kernel: 3, stride: 2, padding: 1, outputPadding: 1, expected: 10),
        (kernel: 3, stride: 1, padding: 1, outputPadding: 0, expected: 5),
    ])
    func convTranspose2dOutputShape(kernel: Int, stride: Int, padding: Int, outputPadding: Int, expected: Int) {
        var generator = SplitMix64(seed: 3)
        let up = ConvTranspose2d(inputChannels: 4, outputChannels: 2, kernelSize: Pair(kernel), stride: Pair(stride),
                                 padding: Pair(padding), outputPadding: Pair(outputPadding), using: &generator)
        #expect(up.weight.shape == [4, 2, kernel, kernel])
        let x = Tensor.uniform(shape: [3, 4, 5, 5], using: &generator)
        #expect(up(x).shape == [3, 2, expected, expected])
    }

    @Test func linearMapsLastAxis() {
        var generator = SplitMix64(seed: 4)
        let linear = Linear(inputFeatures: 4, outputFeatures: 5, using: &generator)
        #expect(linear(Tensor(zeros: [2, 3, 4])).shape == [2, 3, 5])
        #expect(linear(Tensor(zeros: [1, 4])).scalars == linear.bias!.scalars)
    }

    @Test func shapePreservingLayers() {
        let x = Tensor(shape: [2, 3, 5, 7], scalars: (0..<210).map { Float($0 % 11) - 5 })
        let layers: [any UnaryLayer] = [ReLU(), LeakyReLU(), Sigmoid(), Tanh(), GELU(),
                                        BatchNorm2d(featureCount: 3), InstanceNorm2d(featureCount: 3, affine: true)]
        for layer in layers { #expect(layer(x).shape == x.shape, "\(type(of: layer))") }
        #expect(LeakyReLU(negativeSlope: 0.2)(Tensor(shape: [2], scalars: [-1, 2])).scalars == [-0.2, 2])
        #expect(InstanceNorm2d(featureCount: 3).parameters().isEmpty)
    }

    @Test func instanceNormNormalisesEachPlane() {
        let x = Tensor(shape: [2, 1, 1, 4], scalars: [1, 2, 3, 4, 10, 10, 10, 14])
        let y = InstanceNorm2d(featureCount: 1)(x).scalars
        let s1 = (1.25 + 1e-5).squareRoot(), s2 = (3.0 + 1e-5).squareRoot()
        expectClose(y, [-1.5 / s1, -0.5 / s1, 0.5 / s1, 1.5 / s1, -1 / s2, -1 / s2, -1 / s2, 3 / s2], tolerance: 1e-5)
    }

    @Test func poolingShapes() {
        var generator = SplitMix64(seed: 6)
        let x = Tensor.uniform(shape: [2, 3, 7, 9], using: &generator)
        #expect(AvgPool2d(kernelSize: 3, stride: 2, padding: 1)(x).shape == [2, 3, 4, 5])
        #expect(MaxPool2d(kernelSize: 2)(x).shape == [2, 3, 3, 4])
        #expect(AdaptiveAvgPool2d(outputSize: 1)(x).shape == [2, 3, 1, 1])
        #expect(AdaptiveAvgPool2d(outputSize: [3, 2])(x).shape == [2, 3, 3, 2])
        let plane = Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 6])
        #expect(AvgPool2d(kernelSize: 2)(plane).scalars == [3])
        #expect(MaxPool2d(kernelSize: 2)(plane).scalars == [6])
    }

    @Test func resamplingShapes() {
        var generator = SplitMix64(seed: 7)
        let x = Tensor.uniform(shape: [2, 3, 5, 7], using: &generator)
        #expect(Upsample(scaleFactor: 2)(x).shape == [2, 3, 10, 14])
        #expect(Upsample(scaleFactor: 1.5, mode: .bilinear(alignCorners: false))(x).shape == [2, 3, 7, 10])
        #expect(Upsample(scaleFactor: 3, mode: .bilinear(alignCorners: true))(x).shape == [2, 3, 15, 21])
        #expect(PixelShuffle(upscaleFactor: 2)(Tensor(zeros: [2, 12, 3, 5])).shape == [2, 3, 6, 10])
        let tiny = Tensor(shape: [1, 1, 1, 2], scalars: [1, 3])
        #expect(Upsample(scaleFactor: 2)(tiny).scalars == [1, 1, 3, 3, 1, 1, 3, 3])
        // align_corners=False with scale 2: output x=1 samples input 0.25 → 1.5.
        #expect(Upsample(scaleFactor: 2, mode: .bilinear(alignCorners: false))(tiny).scalars == [1, 1.5, 2.5, 3, 1, 1.5, 2.5, 3])
    }

    @Test func sequentialChainsLayers() {
        var generator = SplitMix64(seed: 5)
        let model = Sequential(
            Conv2d(inputChannels: 3, outputChannels: 8, kernelSize: 3, stride: 2, padding: 1, using: &generator),
            BatchNorm2d(featureCount: 8),
            ReLU(),
            ConvTranspose2d(inputChannels: 8, outputChannels: 4, kernelSize: 4, stride: 2, padding: 1, using: &generator),
            Conv2d(inputChannels: 4, outputChannels: 12, kernelSize: 1, using: &generator),
            PixelShuffle(upscaleFactor: 2),
            AdaptiveAvgPool2d(outputSize: 1))
        let x = Tensor.uniform(shape: [2, 3, 6, 10], using: &generator)
        #expect(model(x).shape == [2, 3, 1, 1])
        #expect(Sequential()(x) === x)
    }
}
