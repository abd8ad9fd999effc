@testable import LumenImaging
import LumenTensor
import LumenTestSupport
import Testing

/// Gamma/LUT, histogram equalisation, CLAHE and gray-world: the methods that work
/// on 8-bit values. Their agreement with OpenCV is in ``ClassicalFixtureTests``.
@Suite struct ClassicalByteMethodTests {
    /// A random RGB image `[1, 3, height, width]` already on the 8-bit grid.
    static func randomImage(height: Int = 37, width: Int = 53, seed: UInt64 = 3) -> Tensor {
        var generator = SplitMix64(seed: seed)
        let values = Tensor.uniform(shape: [1, 3, height, width], in: 0...1, using: &generator).scalars
        return Tensor(shape: [1, 3, height, width], scalars: values.map { ($0 * 255).rounded() / 255 })
    }

    static func grey(_ levels: [UInt8], height: Int, width: Int) -> Tensor {
        let plane = levels.map { Float($0) / 255 }
        return Tensor(shape: [1, 3, height, width], scalars: plane + plane + plane)
    }

    @Test func quantisationRoundsAsImageDoes() {
        // Image(tensor:): rint(clamp(v, 0, 1) · 255), NaN to 0.
        func reference(_ value: Float) -> UInt8 {
            value.isNaN ? 0 : UInt8((min(max(value, 0), 1) * 255).rounded(.toNearestOrEven))
        }
        let levels: [Float] = (0...255).flatMap { (level: Int) -> [Float] in
            let (exact, tie) = (Float(level) / 255, (Float(level) + 0.5) / 255)
            return [exact.nextDown, exact, exact.nextUp, tie.nextDown, tie, tie.nextUp]
        }
        let special: [Float] = [.nan, -.nan, .infinity, -.infinity, -0.0, -1e-30, 1e-45, -3, 1.5, 0.5 / 255, 2.5 / 255]
        for value in levels + special {
            #expect(quantized(value) == reference(value), "\(value)")
        }
    }

    @Test func byteMethodsDoNotDependOnThreadCount() {
        let image = Self.randomImage(height: 480, width: 640, seed: 9)
        let saved = Runtime.threadCount
        defer { Runtime.threadCount = saved }
        let results = [1, 3].map { threads in
            Runtime.threadCount = threads
            return [ClassicalMethod.gamma, .equalize, .clahe, .grayWorld].map { $0.applied(to: image).scalars }
        }
        #expect(results[0] == results[1])
    }

    @Test func gammaTableMatchesTheFormula() {
        let table = LookupTable(gamma: 2.2).entries
        #expect(table[0] == 0 && table[255] == 255)
        #expect(table[64] == 136 && table[128] == 186) // rint(136.03), rint(186.42)
        #expect(zip(table, table.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(LookupTable(gamma: 1) == .identity)
    }

    @Test func lookupTableMapsEveryChannelByte() {
        let image = Self.randomImage()
        #expect(LookupTable.identity.applied(to: image).scalars == image.scalars)
        let inverted = LookupTable { 255 - $0 }.applied(to: image)
        #expect(maxAbsoluteDifference(inverted.scalars, image.scalars.map { 1 - $0 }) < 1e-6)
        let brighter = gammaCorrected(image)
        #expect(zip(brighter.scalars, image.scalars).allSatisfy { $0 >= $1 })
    }

    /// Three byte rows converted by a row conversion such as `FixedPointLab.fromRGB`.
    static func converted(_ rows: [[UInt8]], _ convert: RowConversion) -> [[UInt8]] {
        let count = rows[0].count
        var (first, second, third) = ([UInt8](repeating: 0, count: count), [UInt8](repeating: 0, count: count),
                                      [UInt8](repeating: 0, count: count))
        rows[0].withUnsafeBufferPointer { in0 in
            rows[1].withUnsafeBufferPointer { in1 in
                rows[2].withUnsafeBufferPointer { in2 in
                    first.withUnsafeMutableBufferPointer { out0 in
                        second.withUnsafeMutableBufferPointer { out1 in
                            third.withUnsafeMutableBufferPointer { out2 in
                                convert((in0.baseAddress!, in1.baseAddress!, in2.baseAddress!),
                                        (out0.baseAddress!, out1.baseAddress!, out2.baseAddress!), count)
                            }
                        }
                    }
                }
            }
        }
        return [first, second, third]
    }

    @Test func fixedPointColourMatchesOpenCVOnKnownColours() {
        func pixel(_ rgb: [UInt8], _ convert: RowConversion) -> [UInt8] {
            Self.converted(rgb.map { [$0] }, convert).map { $0[0] }
        }
        let (toYCrCb, toLab): (RowConversion, RowConversion) = (FixedPointYCrCb.fromRGB, FixedPointLab.fromRGB)
        // cv2.cvtColor of BGR pixels, OpenCV 4.x.
        #expect(pixel([255, 0, 0], toYCrCb) == [76, 255, 85])
        #expect(pixel([255, 255, 255], toYCrCb) == [255, 128, 128])
        #expect(pixel([255, 0, 0], toLab) == [136, 208, 195])
        #expect(pixel([255, 255, 255], toLab) == [255, 128, 128])
        #expect(pixel([0, 0, 0], toLab) == [0, 128, 128])
        #expect(pixel([255, 128, 128], FixedPointLab.toRGB) == [255, 255, 255])
    }

    @Test func fixedPointColourRoundTrips() {
        func worstDifference(_ a: [[UInt8]], _ b: [[UInt8]]) -> Int {
            zip(a, b).flatMap { zip($0, $1).map { Swift.abs(Int($0) - Int($1)) } }.max() ?? 0
        }
        var generator = SplitMix64(seed: 11)
        let random = (0..<3).map { _ in (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) } }
        let ycrcb = Self.converted(random, FixedPointYCrCb.fromRGB)
        #expect(worstDifference(Self.converted(ycrcb, FixedPointYCrCb.toRGB), random) <= 2)
        // 8-bit Lab is coarse in a and b, so only greys come back (nearly) unchanged.
        let greys = Array(repeating: (0...255).map { UInt8($0) }, count: 3)
        #expect(worstDifference(Self.converted(Self.converted(greys, FixedPointLab.fromRGB), FixedPointLab.toRGB), greys) <= 1)
    }

    @Test func equalizationSpreadsLumaAndKeepsGreysGrey() {
        let levels = (0..<64).map { UInt8(40 + $0 / 2) } // 32 levels in 40...71
        let equalized = histogramEqualized(Self.grey(levels, height: 8, width: 8)).scalars
        let (red, green, blue) = (equalized[0..<64], equalized[64..<128], equalized[128..<192])
        #expect(red.elementsEqual(green) && green.elementsEqual(blue))
        #expect(red.min() == 0 && red.max() == 1)
        #expect(zip(red, red.dropFirst()).allSatisfy { $0 <= $1 })
        let flat = Self.grey(Array(repeating: 90, count: 12), height: 3, width: 4)
        #expect(histogramEqualized(flat).scalars == flat.scalars)
    }

    @Test func equalizationTableIsOpenCVs() {
        // Levels 10 (x2), 20 (x1), 30 (x1): first occupied level → 0, then rint(cdf · 255 / 2).
        let table = equalizationTable(Plane(width: 4, height: 1, values: [10, 20, 10, 30]))
        #expect(table[10] == 0 && table[20] == 128 && table[30] == 255)
    }

    @Test(arguments: [(1, 1), (7, 13), (64, 48), (30, 41)])
    func claheKeepsShapeRangeAndGreys(height: Int, width: Int) {
        let image = Self.randomImage(height: height, width: width)
        let output = CLAHE().applied(to: image)
        #expect(output.shape == image.shape)
        #expect(output.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        let greys = Self.grey((0 ..< height * width).map { UInt8(($0 * 7) % 256) }, height: height, width: width)
        let planeSize = height * width
        let result = CLAHE().applied(to: greys).scalars
        let spread = (0..<planeSize).map { pixel in
            let rgb = (0..<3).map { result[$0 * planeSize + pixel] }
            return rgb.max()! - rgb.min()!
        }
        #expect(spread.allSatisfy { $0 <= 2.5 / 255 })
    }

    @Test func claheClipLimitAndTilesFollowOpenCV() {
        let clahe = CLAHE(clipLimit: 2, tileGrid: [2, 2])
        // A 4 x 4 plane of one level: tiles 2 x 2 (area 4), limit max(⌊2 · 4 / 256⌋, 1) = 1,
        // excess 3 spread one count each at bins 0, 85, 170: cdf(100) = 3, 3 · 255 / 4 → 191.
        let plane = Plane<UInt8>(width: 4, height: 4, repeating: 100)
        #expect(clahe.equalized(plane).values.allSatisfy { $0 == 191 })
        // Without clipping a flat tile maps everything to 255.
        #expect(CLAHE(clipLimit: 0, tileGrid: [2, 2]).equalized(plane).values.allSatisfy { $0 == 255 })
    }

    @Test func grayWorldEqualisesChannelMeans() {
        var generator = SplitMix64(seed: 5)
        let noise = Tensor.uniform(shape: [1, 1, 16, 16], in: 0.2...0.6, using: &generator).scalars
        let tinted = Tensor(shape: [1, 3, 16, 16], scalars: noise.map { $0 * 1.4 } + noise + noise.map { $0 * 0.6 })
        let balanced = grayWorldBalanced(tinted).scalars
        let means = (0..<3).map { channel in balanced[channel * 256 ..< (channel + 1) * 256].reduce(0, +) / 256 }
        #expect(means.max()! - means.min()! < 2 / 255)
        let grey = Self.grey((0..<16).map { UInt8($0 * 16) }, height: 4, width: 4)
        #expect(grayWorldBalanced(grey).scalars == grey.scalars)
    }
}
