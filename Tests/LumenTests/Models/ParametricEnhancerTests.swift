import Foundation
import Lumen
import LumenIO
import LumenNN
import LumenTensor
import LumenTestSupport
import Testing

@Suite struct ParametricEnhancerTests {
    static let photo = Fixtures.data("test/dicm/01.jpg")

    /// A model whose head is random, so that its curve is not the identity.
    func randomModel(seed: UInt64) -> ParametricEnhancer {
        var generator = SplitMix64(seed: seed)
        let model = ParametricEnhancer(using: &generator)
        for (key, tensor) in model.parameters() where key.hasPrefix("head.") {
            tensor.assign(Tensor.uniform(shape: tensor.shape, in: -0.5...0.5, using: &generator))
        }
        return model
    }

    /// Noise that darkens towards the top, so that thumbnail cells differ.
    func randomImage(width: Int, height: Int, channels: Int, bitDepth: Int, seed: UInt64) -> Image {
        var generator = SplitMix64(seed: seed)
        let maximum = (1 << bitDepth) - 1
        var samples: [UInt16] = []
        for y in 0..<height {
            for _ in 0..<width * channels {
                samples.append(UInt16(Int.random(in: 0...maximum * (y + 1) / height, using: &generator)))
            }
        }
        return Image(width: width, height: height, channels: channels, bitDepth: bitDepth, samples: samples)
    }

    /// The largest difference between two images' samples.
    func maximumDifference(_ a: Image, _ b: Image) -> Int {
        zip(a.samples, b.samples).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    @Test func anySizeKeepsItsShapeWithAFewThousandParameters() {
        var generator = SplitMix64(seed: 1)
        let model = ParametricEnhancer(using: &generator)
        let image = Tensor.uniform(shape: [2, 3, 13, 10], using: &generator)
        let output = withoutGradients { model(image) }
        #expect(output.enhanced.shape == image.shape)
        #expect(output.curves.shape == [2, 3])
        #expect(model.parameters().map(\.key) == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                                                  "conv3.weight", "conv3.bias", "head.weight", "head.bias"])
        #expect(model.parameters().map(\.tensor.scalarCount).reduce(0, +) == 6_131)
    }

    @Test(arguments: [-1_000, -0.5, 0, 0.5, 1_000] as [Float])
    func predictedCurvesStayInTheirBounds(raw: Float) {
        var generator = SplitMix64(seed: 2)
        let model = ParametricEnhancer(using: &generator)
        let bias = model.parameters().first { $0.key == "head.bias" }!.tensor
        bias.assign(Tensor(repeating: raw, shape: [3]))
        let image = Tensor.uniform(shape: [1, 3, 20, 30], using: &generator)
        let curve = ToneCurve.rows(of: withoutGradients { model(image).curves })[0]
        #expect(ToneCurve.gammaRange.contains(curve.gamma))
        #expect(ToneCurve.contrastRange.contains(curve.contrast))
        #expect(ToneCurve.brightnessRange.contains(curve.brightness))
        if abs(raw) == 1_000 {
            let end = raw < 0 ? ToneCurve(gamma: 0.25, contrast: 0.5, brightness: -0.25)
                              : ToneCurve(gamma: 4, contrast: 2, brightness: 0.25)
            #expect(abs(curve.gamma - end.gamma) < 1e-5 && abs(curve.contrast - end.contrast) < 1e-5
                    && abs(curve.brightness - end.brightness) < 1e-6, "\(curve)")
        }
    }

    static let extremeCurves = [Float(0.25), 1, 4].flatMap { gamma in
        [Float(0.5), 1, 2].flatMap { contrast in
            [Float(-0.25), 0, 0.25].map { ToneCurve(gamma: gamma, contrast: contrast, brightness: $0) }
        }
    }

    @Test(arguments: extremeCurves)
    func curvesAreMonotoneWithinTheUnitRange(curve: ToneCurve) {
        let values = (0...1_000).map { curve(Float($0) / 1_000) }
        #expect(values.allSatisfy { (0...1).contains($0) })
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })
        let table = curve.lookupTable(bitDepth: 8).entries
        #expect(table.count == 256 && zip(table, table.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func curveValuesFollowTheFormula() {
        #expect(ToneCurve(gamma: 0.5)(0.25) == 0.5)
        #expect(ToneCurve(contrast: 2)(0.625) == 0.75)
        #expect(ToneCurve(brightness: 0.125)(0.5) == 0.625)
        #expect(ToneCurve(brightness: 0.25)(0.9) == 1)
        #expect(ToneCurve.identity.lookupTable(bitDepth: 16).entries == (0...65_535).map { UInt16($0) })
    }

    @Test func anUntrainedModelLeavesImagesUnchanged() {
        var generator = SplitMix64(seed: 3)
        let model = ParametricEnhancer(using: &generator)
        let image = randomImage(width: 90, height: 70, channels: 3, bitDepth: 8, seed: 4)
        #expect(model.enhance(image) == image)
        let tensor = image.tensor()
        let enhanced = withoutGradients { model.enhanced(tensor) }
        // Black is lifted to 1e-6 before the power, and `x − 0.5 + 0.5` rounds.
        #expect(zip(enhanced.scalars, tensor.scalars).allSatisfy { abs($0 - $1) <= 2e-6 })
    }

    @Test(arguments: [(8, 3), (16, 3), (8, 1), (16, 4)])
    func theLookUpTableMatchesTheTensorPath(bitDepth: Int, channels: Int) {
        let model = randomModel(seed: 5)
        let image = randomImage(width: 150, height: 97, channels: channels, bitDepth: bitDepth, seed: 6)
        expectPathsAgree(model, on: image)
    }

    @Test(.fixtures(photo))
    func theLookUpTableMatchesTheTensorPathOnAPhoto() throws {
        let photo = try Image(contentsOf: Fixtures.require(Self.photo))
        let model = randomModel(seed: 7)
        expectPathsAgree(model, on: photo)
        expectPathsAgree(model, on: photo.converted(toBitDepth: 16))
    }

    func expectPathsAgree(_ model: ParametricEnhancer, on image: Image,
                          sourceLocation: SourceLocation = #_sourceLocation) {
        let rgb = image.rgb()
        let output = withoutGradients { model(rgb.tensor()) }
        let reference = Image(tensor: output.enhanced, bitDepth: image.bitDepth)
        let fast = model.enhance(image)
        #expect(fast.channels == 3 && fast.bitDepth == image.bitDepth, sourceLocation: sourceLocation)
        #expect(maximumDifference(fast, rgb) > 16 << (image.bitDepth - 8), "the curve is not the identity",
                sourceLocation: sourceLocation)
        #expect(maximumDifference(fast, reference) <= 1, sourceLocation: sourceLocation)
        let (predicted, expected) = (model.toneCurve(for: image), ToneCurve.rows(of: output.curves)[0])
        #expect(abs(predicted.gamma - expected.gamma) < 1e-5 && abs(predicted.contrast - expected.contrast) < 1e-5
                && abs(predicted.brightness - expected.brightness) < 1e-5, "\(predicted) vs \(expected)",
                sourceLocation: sourceLocation)
    }

    @Test func gradientsReachTheImageAndEveryParameter() {
        let model = randomModel(seed: 8)
        var generator = SplitMix64(seed: 9)
        let image = Tensor.uniform(shape: [2, 3, 7, 5], in: 0.2...0.8, using: &generator)
        let parameters = model.parameters().map(\.tensor)
        let mismatches = checkGradients([image] + parameters) { model($0[0]).enhanced }
        let agree = mismatches.isEmpty
        #expect(agree, "\(mismatches.count) mismatches, first \(mismatches.prefix(5))")
        let output = model(image)
        output.enhanced.sum().backward()
        for (key, parameter) in model.parameters() {
            #expect(parameter.gradient.map { $0.scalars.contains { $0 != 0 } } == true, "no gradient for \(key)")
        }
    }

    @Test func learnsAGammaFromOnePair() {
        var generator = SplitMix64(seed: 10)
        let model = ParametricEnhancer(using: &generator)
        let dark = Tensor.uniform(shape: [2, 3, 24, 24], in: 0.02...0.5, using: &generator)
        let target = withoutGradients { dark.pow(0.5) }
        var adam = Adam(parameters: model.parameters(), learningRate: 2e-2)
        let initial = withoutGradients { l1Loss(model.enhanced(dark), target).scalar }
        for _ in 0..<40 {
            adam.zeroGradients()
            l1Loss(model.enhanced(dark), target).backward()
            adam.step()
        }
        let final = withoutGradients { l1Loss(model.enhanced(dark), target).scalar }
        #expect(final < initial / 10, "L1 \(initial) -> \(final)")
    }
}
