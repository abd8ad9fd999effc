import Foundation
import LumenImaging
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// NIQE and BRISQUE, the two metrics built on a model of natural-scene statistics.
@Suite struct NoReferenceModelTests {
    static let baboon = Fixtures.shared("fixtures/metrics/baboon.png")

    /// BasicSR's test image: MATLAB R2021a gives 5.72957338, BasicSR 5.7295763.
    @Test(.tags(.golden), .fixtures(baboon))
    func baboonScoresAsMATLAB() throws {
        let image = try Image(contentsOf: Fixtures.require(Self.baboon)).tensor()
        let score = niqe(image)
        #expect(Swift.abs(score - 5.729_573_38) < 1e-3, "NIQE \(score)")
        #expect(try ImageMetric.niqe.measure(image, input: nil, reference: nil) == score)
    }

    /// The `brisque` package gives 30.174282 (`scripts/reference-metrics.py`).
    @Test(.tags(.golden), .fixtures(baboon))
    func baboonBRISQUE() throws {
        let image = try Image(contentsOf: Fixtures.require(Self.baboon)).tensor()
        #expect(Swift.abs(brisque(image) - 30.174_282) < 5e-3, "BRISQUE \(brisque(image))")
    }

    @Test func flatImagesHaveNoScore() {
        #expect(niqe(Tensor(repeating: 0.5, shape: [1, 3, 96, 192])).isNaN)
        #expect(brisque(Tensor(zeros: [1, 3, 16, 16])).isNaN)
    }

    @Test func noiseScoresWorseThanASmoothGradient() {
        var generator = SplitMix64(seed: 3)
        let noise = Tensor.uniform(shape: [1, 3, 192, 192], in: 0...1, using: &generator)
        let grain = noise.scalars
        let ramp = Tensor(shape: [1, 3, 192, 192], scalars: (0..<3 * 192 * 192).map { index -> Float in
            let (y, x) = (Double(index / 192 % 192), Double(index % 192))
            let smooth = 0.3 + 0.2 * sin(x / 9) * cos(y / 13)
            return Float(smooth) + (grain[index] - 0.5) / 64
        })
        #expect(niqe(noise) > niqe(ramp))
        #expect(brisque(noise) > brisque(ramp))
    }
}
