import Foundation
import LumenImaging
import LumenTensor
import LumenTestSupport
import Testing

/// Retinex, LIME, unsharp masking and auto levels: identities, ranges, monotonicity.
@Suite struct ClassicalFloatMethodTests {
    /// A dim RGB image `[1, 3, height, width]` with a brighter square in the middle.
    static func dimScene(height: Int = 40, width: Int = 48) -> Tensor {
        var generator = SplitMix64(seed: 9)
        let noise = Tensor.uniform(shape: [1, 3, height, width], in: 0...0.05, using: &generator).scalars
        let scalars = noise.enumerated().map { index, value -> Float in
            let (y, x) = ((index / width) % height, index % width)
            let inside = abs(y - height / 2) < height / 4 && abs(x - width / 2) < width / 4
            return value + (inside ? 0.3 : 0.05) * (1 + Float(index / (height * width)) * 0.2)
        }
        return Tensor(shape: [1, 3, height, width], scalars: scalars)
    }

    static func mean(_ values: [Float]) -> Float { values.reduce(0, +) / Float(values.count) }

    @Test func retinexBrightensADimSceneWithinRange() {
        let scene = Self.dimScene()
        for output in [SingleScaleRetinex().applied(to: scene), MSRCR().applied(to: scene),
                       SingleScaleRetinex(sigma: 3).applied(to: scene)] {
            #expect(output.shape == scene.shape)
            #expect(output.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(Self.mean(output.scalars) > Self.mean(scene.scalars) + 0.1)
        }
    }

    @Test func retinexOfAFlatImageIsMidGrey() {
        let flat = Tensor(repeating: 0.3, shape: [1, 3, 9, 11])
        #expect(SingleScaleRetinex().applied(to: flat).scalars.allSatisfy { $0 == 0.5 })
        #expect(MSRCR().applied(to: flat).scalars.allSatisfy { $0 == 0.5 })
    }

    @Test func limeOnlyBrightens() {
        let scene = Self.dimScene()
        let output = LIME().applied(to: scene)
        #expect(zip(output.scalars, scene.scalars).allSatisfy { $0 >= $1 && $0 <= 1 })
        #expect(Self.mean(output.scalars) > 2 * Self.mean(scene.scalars))
        let white = Tensor(repeating: 1, shape: [1, 3, 5, 5])
        #expect(maxAbsoluteDifference(LIME().applied(to: white).scalars, white.scalars) < 1e-6)
    }

    @Test func limeDividesByTheIlluminationOfAFlatImage() {
        // Flat T = 0.25: the guided filter keeps it, so out = 0.25 · (c / 0.25^0.8).
        let flat = Tensor(shape: [1, 3, 6, 6], scalars: [Float](repeating: 0.25, count: 36)
            + [Float](repeating: 0.1, count: 36) + [Float](repeating: 0.05, count: 36))
        let output = LIME().applied(to: flat).scalars
        let divisor = Float(pow(0.25, 0.8))
        #expect(Swift.abs(output[0] - 0.25 / divisor) < 1e-5)
        #expect(Swift.abs(output[40] - 0.1 / divisor) < 1e-5)
    }

    @Test func unsharpMaskIdentitiesAndOvershoot() {
        let scene = Self.dimScene()
        let flat = Tensor(repeating: 0.4, shape: [1, 3, 7, 7])
        #expect(maxAbsoluteDifference(UnsharpMask().applied(to: flat).scalars, flat.scalars) < 1e-6)
        #expect(maxAbsoluteDifference(UnsharpMask(amount: 0).applied(to: scene).scalars, scene.scalars) == 0)
        #expect(UnsharpMask(threshold: 1).applied(to: scene).scalars == scene.scalars)
        // A vertical step 0.3 | 0.6: darker just left of it, brighter just right.
        let row = (0..<12).map { $0 < 6 ? Float(0.3) : 0.6 }
        let step = Tensor(shape: [1, 3, 1, 12], scalars: row + row + row)
        let sharpened = UnsharpMask(sigma: 1, amount: 1).applied(to: step).scalars
        #expect(sharpened[5] < 0.3 && sharpened[6] > 0.6)
        #expect(Swift.abs(sharpened[0] - 0.3) < 1e-4 && Swift.abs(sharpened[11] - 0.6) < 1e-4)
    }

    @Test func autoLevelsStretchesEachChannel() {
        let ramp = (0..<100).map { 0.2 + 0.4 * Float($0) / 99 }
        let image = Tensor(shape: [1, 3, 10, 10], scalars: ramp + ramp.map { $0 / 2 } + [Float](repeating: 0.7, count: 100))
        let exact = AutoLevels(clipFraction: 0).applied(to: image).scalars
        #expect(maxAbsoluteDifference(Array(exact[0..<100]), (0..<100).map { Float($0) / 99 }) < 1e-5)
        #expect(maxAbsoluteDifference(Array(exact[100..<200]), (0..<100).map { Float($0) / 99 }) < 1e-5)
        #expect(exact[200..<300].allSatisfy { $0 == 0.7 })
        let clipped = AutoLevels(clipFraction: 0.05).applied(to: image).scalars
        #expect(clipped[0..<5].allSatisfy { $0 == 0 } && clipped[95..<100].allSatisfy { $0 == 1 })
        #expect(zip(clipped[0..<100], clipped[1..<100]).allSatisfy { $0 <= $1 })
    }
}
