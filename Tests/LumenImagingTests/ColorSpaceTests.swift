import LumenImaging
import LumenTensor
import LumenTestSupport
import Testing

@Suite struct ColorSpaceTests {
    /// Colours spread over the cube, including gray, black, white and the primaries.
    let colors: Tensor = {
        var g = SplitMix64(seed: 7)
        let random = Tensor.uniform(shape: [1, 3, 4, 8], in: 0...1, using: &g).scalars
        let corners: [Float] = [0, 1, 1, 0, 0, 1, 0.5, 0.2,
                                0, 1, 0, 1, 0, 1, 0.5, 0.2,
                                0, 1, 0, 0, 1, 0, 0.5, 0.2]
        var scalars: [Float] = []
        for channel in 0..<3 {
            scalars += corners[(channel * 8)..<(channel * 8 + 8)]
            scalars += random[(channel * 32)..<(channel * 32 + 32)]
        }
        return Tensor(shape: [1, 3, 5, 8], scalars: scalars)
    }()

    func pixel(_ t: Tensor, _ index: Int) -> [Float] {
        let plane = t.shape[2] * t.shape[3]
        return (0..<t.shape[1]).map { t.scalars[$0 * plane + index] }
    }

    @Test(arguments: [YCbCr.Range.full, .studio])
    func ycbcrRoundTrips(range: YCbCr.Range) {
        let back = YCbCr.toRGB(YCbCr.fromRGB(colors, range: range), range: range)
        #expect(maxAbsoluteDifference(back.scalars, colors.scalars) < 2e-3)
    }

    @Test func ycbcrMatchesTheStandards() {
        // Pure red: full range (0.299, 0.5 - 0.564 * 0.299, 0.5 + 0.713 * 0.701); studio Y = 81/255.
        let red = Tensor(shape: [1, 3, 1, 1], scalars: [1, 0, 0])
        #expect(maxAbsoluteDifference(YCbCr.fromRGB(red).scalars, [0.299, 0.5 - 0.564 * 0.299, 0.5 + 0.713 * 0.701]) < 1e-6)
        #expect(maxAbsoluteDifference(YCbCr.fromRGB(red, range: .studio).scalars, [81.481 / 255, 90.203 / 255, 240 / 255]) < 1e-6)
        let white = Tensor(repeating: 1, shape: [1, 3, 1, 1])
        #expect(maxAbsoluteDifference(YCbCr.luma(white, range: .studio).scalars, [235 / 255]) < 1e-6)
        #expect(YCbCr.luma(colors).shape == [1, 1, 5, 8])
    }

    @Test func labMatchesReferenceValues() {
        // Reference values from the CIE formulas (e.g. Bruce Lindbloom's calculator, D65, sRGB).
        let lab = Lab.fromRGB(Tensor(shape: [1, 3, 1, 3], scalars: [1, 1, 0, 1, 0, 0, 1, 0, 1]))
        #expect(maxAbsoluteDifference(pixel(lab, 0), [100, 0, 0]) < 0.02)
        #expect(maxAbsoluteDifference(pixel(lab, 1), [53.24, 80.09, 67.20]) < 0.05)
        #expect(maxAbsoluteDifference(pixel(lab, 2), [32.30, 79.19, -107.86]) < 0.05)
    }

    @Test func labRoundTrips() {
        #expect(maxAbsoluteDifference(Lab.toRGB(Lab.fromRGB(colors)).scalars, colors.scalars) < 1e-4)
    }

    @Test func hsvMatchesReferenceValuesAndRoundTrips() {
        let hsv = HSV.fromRGB(Tensor(shape: [1, 3, 1, 4], scalars: [1, 0, 0.5, 0.25,
                                                                     0, 1, 0.5, 0.5,
                                                                     0, 0, 0.5, 1]))
        #expect(maxAbsoluteDifference(pixel(hsv, 0), [0, 1, 1]) < 1e-6)
        #expect(maxAbsoluteDifference(pixel(hsv, 1), [1.0 / 3, 1, 1]) < 1e-6)
        #expect(maxAbsoluteDifference(pixel(hsv, 2), [0, 0, 0.5]) < 1e-6)
        #expect(maxAbsoluteDifference(pixel(hsv, 3), [11.0 / 18, 0.75, 1]) < 1e-6)
        #expect(maxAbsoluteDifference(HSV.toRGB(HSV.fromRGB(colors)).scalars, colors.scalars) < 1e-5)
    }

    @Test func grayIsBT601Luma() {
        let gray = Gray.fromRGB(colors)
        #expect(gray.shape == [1, 1, 5, 8])
        #expect(maxAbsoluteDifference(gray.scalars, YCbCr.luma(colors).scalars) < 1e-6)
        #expect(Gray.toRGB(gray).shape == colors.shape)
    }
}
