import Lumen
import LumenTensor
import Testing

@Suite struct ModelShapeTests {
    @Test func zeroDCEOutputs() {
        var generator = SplitMix64(seed: 1)
        let model = ZeroDCE(width: 4, using: &generator)
        let output = model(Tensor.uniform(shape: [2, 3, 9, 7], using: &generator))
        #expect(output.enhanced.shape == [2, 3, 9, 7])
        #expect(output.halfway.shape == [2, 3, 9, 7])
        #expect(output.curves.shape == [2, 24, 9, 7])
        #expect(model.parameters().map(\.key) == (1...7).flatMap { ["conv\($0).weight", "conv\($0).bias"] })
    }

    @Test func zeroDCEPlusPlusKeepsTheSizeOrCropsLikeTheOfficialTest() {
        var generator = SplitMix64(seed: 1)
        let model = ZeroDCEPlusPlus(width: 4, scale: 4, using: &generator)
        let image = Tensor.uniform(shape: [1, 3, 18, 13], using: &generator)
        #expect(model.enhanced(image).shape == [1, 3, 18, 13])
        #expect(model.cropped(image).shape == [1, 3, 16, 12])
        let output = model(model.cropped(image))
        #expect(output.curve.shape == [1, 3, 16, 12])
        #expect(model.parameters().count == 28)
    }

    @Test func sciKeepsRangeAndShape() {
        var generator = SplitMix64(seed: 1)
        let model = SCI(using: &generator)
        let output = model(Tensor.uniform(shape: [1, 3, 11, 6], using: &generator))
        #expect(output.enhanced.shape == [1, 3, 11, 6])
        #expect(output.enhanced.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(output.illumination.scalars.allSatisfy { $0 >= 1e-4 && $0 <= 1 })
        #expect(model.buffers().map(\.key) == ["blockNorm.runningMean", "blockNorm.runningVariance"])
    }
}
