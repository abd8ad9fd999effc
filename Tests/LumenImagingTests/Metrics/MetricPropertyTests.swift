import Foundation
import LumenImaging
import LumenTensor
import LumenTestSupport
import Testing

/// Hand-computed values: flat, two-level and ordered images.
@Suite struct MetricPropertyTests {
    /// `[1, 3, height, width]` with every pixel `rgb`.
    func constant(_ rgb: [Float], height: Int, width: Int) -> Tensor {
        let plane = height * width
        return Tensor(shape: [1, 3, height, width], scalars: (0..<3 * plane).map { rgb[$0 / plane] })
    }

    /// Gray `[1, 3, height, width]` whose top half is `top` and bottom half `bottom`.
    func halves(top: Float, bottom: Float, height: Int, width: Int) -> Tensor {
        Tensor(shape: [1, 3, height, width], scalars: (0..<3 * height * width).map { index in
            index / width % height < height / 2 ? top : bottom
        })
    }

    func random(_ shape: Shape, seed: UInt64) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor.uniform(shape: shape, in: 0...1, using: &generator)
    }

    @Test func psnrOfAKnownError() {
        let image = random([1, 3, 8, 9], seed: 1)
        #expect(psnr(image, image) == .infinity)
        let shifted = Tensor(shape: image.shape, scalars: image.scalars.map { $0 + 0.1 })
        #expect(Swift.abs(psnr(shifted, image) - 20) < 1e-5, "MSE 0.01")
        #expect(Swift.abs(psnr(shifted, image, maxValue: 10) - 40) < 1e-5)
        // Y moves by 0.1 · 219 / 255 when R, G and B all move by 0.1.
        #expect(Swift.abs(psnrY(shifted, image) + 20 * log10(0.1 * 219 / 255)) < 1e-4)
    }

    @Test func ssimOfFlatImagesIsTheLuminanceTerm() {
        let (a, b) = (0.2, 0.7)
        let expected = (2 * a * b + 1e-4) / (a * a + b * b + 1e-4)
        let image = constant([Float(a), Float(a), Float(a)], height: 12, width: 15)
        let reference = constant([Float(b), Float(b), Float(b)], height: 12, width: 15)
        #expect(Swift.abs(ssim(image, reference) - expected) < 1e-6)
        let (yA, yB) = ((16 + 219 * a) / 255, (16 + 219 * b) / 255)
        #expect(Swift.abs(ssimY(image, reference) - (2 * yA * yB + 1e-4) / (yA * yA + yB * yB + 1e-4)) < 1e-6)
        // MS-SSIM: every contrast-structure term is 1, so only the coarsest luminance counts.
        let large = constant([Float(a), Float(a), Float(a)], height: 161, width: 170)
        let largeReference = constant([Float(b), Float(b), Float(b)], height: 161, width: 170)
        #expect(Swift.abs(msSSIM(large, largeReference) - pow(expected, 0.1333)) < 1e-6)
    }

    @Test func similarityOfIdenticalImagesIsOne() {
        let image = random([1, 3, 170, 180], seed: 2)
        #expect(Swift.abs(ssim(image, image) - 1) < 1e-12)
        #expect(Swift.abs(msSSIM(image, image) - 1) < 1e-12)
        let other = random([1, 3, 170, 180], seed: 3)
        #expect(ssim(image, other) == ssim(other, image))
        #expect(ssim(image, other) < 0.1)
    }

    @Test func lightnessOrderOfOrderedAndInvertedImages() {
        // On a 50-pixel side the grid is the image itself.
        let input = halves(top: 50 / 255, bottom: 200 / 255, height: 50, width: 60)
        #expect(lightnessOrderError(input, input: input) == 0)
        let brighter = halves(top: 100 / 255, bottom: 250 / 255, height: 50, width: 60)
        #expect(lightnessOrderError(brighter, input: input) == 0)
        // Inverted: every pixel flips its order with the 1500 pixels of the other half.
        let inverted = halves(top: 205 / 255, bottom: 55 / 255, height: 50, width: 60)
        #expect(lightnessOrderError(inverted, input: input) == 1500)
    }

    @Test func entropyCountsEqualGrayLevels() {
        #expect(entropy(constant([0.3, 0.3, 0.3], height: 4, width: 4)) == 0)
        #expect(entropy(halves(top: 0, bottom: 1, height: 4, width: 6)) == 1)
        let four = Tensor(shape: [1, 3, 2, 2], scalars: Array(repeating: [0, 0.25, 0.5, 1], count: 3).flatMap { $0 })
        #expect(entropy(four) == 2)
    }

    @Test func colorfulnessOfGrayAndOfOneColour() {
        #expect(colorfulness(halves(top: 0.1, bottom: 0.9, height: 4, width: 4)) == 0)
        // Pure red: rg = 255 and yb = 127.5 everywhere, no spread.
        let red = colorfulness(constant([1, 0, 0], height: 3, width: 5))
        #expect(Swift.abs(red - 0.3 * (255.0 * 255 + 127.5 * 127.5).squareRoot()) < 1e-9)
        // Red and green halves: rg = ±255 (σ 255), yb = 127.5 (σ 0).
        let mixed = Tensor(shape: [1, 3, 2, 2], scalars: [1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0])
        #expect(Swift.abs(colorfulness(mixed) - (255 + 0.3 * 127.5)) < 1e-9)
    }

    @Test func exposureErrorOfFlatAndTwoLevelImages() {
        #expect(Swift.abs(exposureError(constant([0.6, 0.6, 0.6], height: 32, width: 48))) < 1e-7)
        // Brightness is the mean of R, G and B: 0.3 here, 0.3 below well exposed.
        #expect(Swift.abs(exposureError(constant([0.9, 0, 0], height: 16, width: 16)) - 0.3) < 1e-7)
        // Patches at 0.1 and 0.9 are 0.5 and 0.3 off: RMS √((0.25 + 0.09) / 2). The
        // four rows below the last whole patch (brightness 0.9) do not count.
        let image = halves(top: 0.1, bottom: 0.9, height: 36, width: 16)
        let cropped = Tensor(shape: [1, 3, 32, 16], scalars: (0..<3 * 32 * 16).map { $0 / 16 % 32 < 16 ? 0.1 : 0.9 })
        #expect(Swift.abs(exposureError(cropped) - ((0.25 + 0.09) / 2).squareRoot()) < 1e-6)
        #expect(Swift.abs(exposureError(image) - exposureError(cropped)) > 1e-3, "36 rows: halves at 18, so the second patch mixes")
        #expect(throws: MetricError.self) { try ImageMetric.exposureError.measure(constant([0.5, 0.5, 0.5], height: 15, width: 40), input: nil, reference: nil) }
    }

    @Test func colorErrorOfGrayAndOfOneColour() {
        #expect(colorError(halves(top: 0.1, bottom: 0.9, height: 4, width: 4)) == 0)
        // Pure red: R − G = R − B = 1, G − B = 0.
        #expect(Swift.abs(colorError(constant([1, 0, 0], height: 3, width: 5)) - (2.0 / 3).squareRoot()) < 1e-9)
        // Red and green halves average to (0.5, 0.5, 0): differences 0, 0.5, 0.5.
        let mixed = Tensor(shape: [1, 3, 2, 2], scalars: [1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0])
        #expect(Swift.abs(colorError(mixed) - (0.5 / 3).squareRoot()) < 1e-9)
    }

    @Test func uiqmOfFlatImages() {
        #expect(uiqm(constant([0.4, 0.4, 0.4], height: 16, width: 24)) == 0)
        // One colour: no spread and no edges; every block has the same r = (max − min) / (max + min).
        let (r, g, b) = (153.0, 76.0, 51.0)
        let colour = constant([Float(r / 255), Float(g / 255), Float(b / 255)], height: 16, width: 24)
        let (rg, yb) = (r - g, (r + g) / 2 - b)
        let ratio = (r - b) / (r + b)
        let expected = 0.0282 * -0.0268 * (rg * rg + yb * yb).squareRoot() + 3.5753 * -(ratio * log(ratio))
        #expect(Swift.abs(uiqm(colour) - expected) < 1e-9)
    }

    @Test func uciqeOfGrayImagesIsTheLuminanceContrast() {
        #expect(Swift.abs(uciqe(constant([0.5, 0.5, 0.5], height: 10, width: 10))) < 1e-4)
        // Black and white halves: ℓ spans 0 to 1, no chroma.
        #expect(Swift.abs(uciqe(halves(top: 0, bottom: 1, height: 10, width: 10)) - 0.2745) < 1e-4)
    }
}
