import LumenImaging
import LumenTensor
import Testing

@Suite struct ExposureTests {
    @Test func srgbRoundTrips() {
        let values = Tensor(shape: [11], scalars: (0...10).map { Float($0) / 10 })
        let back = SRGB.fromLinear(SRGB.toLinear(values)).scalars
        #expect(zip(back, values.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-6 })
        #expect(Swift.abs(SRGB.toLinear(Tensor(0.5)).scalar - 0.214_041) < 1e-5)
    }

    @Test func minusOneEVHalvesLinearIntensity() {
        let image = Tensor(shape: [1, 3, 1, 2], scalars: [0.2, 0.5, 0.9, 1, 0.7, 0.1])
        let darker = exposureAdjusted(image, ev: -1)
        let ratio = zip(SRGB.toLinear(darker).scalars, SRGB.toLinear(image).scalars).map { $0 / $1 }
        #expect(ratio.allSatisfy { Swift.abs($0 - 0.5) < 1e-5 })
        #expect(exposureAdjusted(image, ev: 3).scalars.allSatisfy { $0 <= 1 })
    }
}
