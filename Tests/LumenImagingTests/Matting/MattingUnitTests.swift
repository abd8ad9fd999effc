import LumenIO
import LumenImaging
import LumenTensor
import Testing

/// Mattes, trimaps and what the matting errors refuse.
@Suite struct MattingUnitTests {
    func matte(_ rows: [[UInt8]]) -> Matte { Matte(width: rows[0].count, height: rows.count, levels: rows.flatMap { $0 }) }

    @Test func hardAndSoftEdgesBecomeUnknown() {
        // A soft pixel at (1, 1) and a hard 0 | 255 edge between columns 4 and 5.
        let alpha = matte([[0, 0, 0, 0, 0, 255, 255],
                           [0, 90, 0, 0, 0, 255, 255],
                           [0, 0, 0, 0, 0, 255, 255]])
        let tight = Trimap(groundTruth: alpha, unknownRadius: 0)
        #expect(tight.values == [0, 0, 0, 0, 128, 128, 255,
                                 0, 128, 0, 0, 128, 128, 255,
                                 0, 0, 0, 0, 128, 128, 255])
        let wide = Trimap(groundTruth: alpha, unknownRadius: 1)
        #expect(wide.values == [0, 128, 0, 128, 128, 128, 128,
                                128, 128, 128, 128, 128, 128, 128,
                                0, 128, 0, 128, 128, 128, 128])
        #expect(wide.unknownCount == 17)
    }

    @Test func distanceBandIsEuclidean() {
        var levels = [UInt8](repeating: 0, count: 21 * 21)
        levels[10 * 21 + 10] = 100
        let trimap = Trimap(groundTruth: Matte(width: 21, height: 21, levels: levels), unknownRadius: 5)
        for y in 0..<21 {
            for x in 0..<21 {
                let inside = (x - 10) * (x - 10) + (y - 10) * (y - 10) <= 25
                #expect((trimap.values[y * 21 + x] == 128) == inside, "(\(x), \(y))")
            }
        }
    }

    @Test func mattesFromImagesAndTensors() throws {
        let gray = Image(width: 2, height: 1, channels: 1, bitDepth: 16, samples: [0, 65_535])
        #expect(try Matte(image: gray).levels == [0, 255])
        let equalRGB = Image(width: 1, height: 1, channels: 3, samples: [7, 7, 7])
        #expect(try Matte(image: equalRGB).levels == [7])
        let colour = Image(width: 1, height: 1, channels: 3, samples: [7, 8, 7])
        #expect(throws: MattingError.notGrayscale(channels: 3)) { try Matte(image: colour) }
        let transparent = Image(width: 1, height: 1, channels: 2, samples: [7, 0])
        #expect(throws: MattingError.transparent) { try Matte(image: transparent) }
        let alpha = Tensor(shape: [1, 1, 1, 3], scalars: [-0.2, 0.5, 1.3])
        #expect(Matte(alpha: alpha).levels == [0, 128, 255])
        #expect(Matte(alpha: alpha).tensor.scalars == [0, 128 / 255, 1])
    }

    @Test func trimapsHoldThreeValues() throws {
        let error = #expect(throws: MattingError.self) { try Trimap(width: 3, height: 1, values: [0, 127, 255]) }
        #expect(error == .invalidTrimapValues(count: 1, example: 127))
        #expect(error?.description == "is not a trimap: 1 pixels are neither 0, 128 nor 255 (for example 127)")
    }

    @Test func errorsRefuseWhatTheyCannotScore() throws {
        let alpha = matte([[0, 128], [255, 255]])
        let known = try Trimap(width: 2, height: 2, values: [0, 255, 255, 255])
        #expect(throws: MattingError.noUnknownRegion) {
            try MattingErrors(prediction: alpha, groundTruth: alpha, trimap: known, region: .unknown)
        }
        #expect(throws: MattingError.missingTrimap) {
            try MattingErrors(prediction: alpha, groundTruth: alpha, trimap: nil, region: .unknown)
        }
        let other = matte([[0, 128, 0]])
        let mismatch = #expect(throws: MattingError.self) {
            try MattingErrors(prediction: other, groundTruth: alpha, trimap: nil, region: .whole)
        }
        #expect(mismatch?.description == "the predicted alpha and the ground truth differ in size: 3x1 against 2x2")
        // The whole-image variant needs no trimap, and a perfect prediction scores zero.
        let perfect = try MattingErrors(prediction: alpha, groundTruth: alpha, trimap: nil, region: .whole)
        #expect(perfect == MattingErrors(sad: 0, mse: 0, mad: 0, gradient: 0, connectivity: 0, regionPixels: 4))
    }

    @Test func syntheticMattesHaveWhatMattingIsHardAt() {
        var generator = SplitMix64(seed: 11)
        let mattes = (0..<12).map { _ in SyntheticMatte.sample(using: &generator) }
        #expect(mattes.contains { !$0.holes.isEmpty } && mattes.contains { $0.veil != nil } && mattes.contains { !$0.strands.isEmpty })
        for matte in mattes {
            let rendered = matte.rendered(width: 96, height: 96)
            #expect(rendered == matte.rendered(width: 96, height: 96), "rendering is deterministic")
            #expect(rendered.levels.contains(0) && rendered.levels.contains(255))
            #expect(rendered.levels.contains { $0 > 0 && $0 < 255 }, "every matte has soft pixels")
            if let hole = matte.holes.first, hole.radiusX * 96 > 4 && hole.radiusY * 96 > 4 {
                // Only a veil (opacity at most 0.7) or a strand can cover a hole.
                #expect(rendered.levels[Int(hole.y * 96) * 96 + Int(hole.x * 96)] < 180, "a hole lets the background through")
            }
        }
    }
}
