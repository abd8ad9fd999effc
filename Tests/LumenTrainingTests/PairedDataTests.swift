import Foundation
import LumenImaging
import LumenIO
import LumenTensor
import LumenTestSupport
@testable import LumenTraining
import Testing

/// A pairs folder with `low/NAME` and `high/NAME` for each (name, low, high).
func makePairsFolder(_ pairs: [(name: String, low: Tensor, high: Tensor)]) throws -> URL {
    let root = try makeTemporaryDirectory("lumen-pairs")
    for folder in ["low", "high"] {
        try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
    }
    for pair in pairs {
        try Image(tensor: pair.low).write(to: root.appendingPathComponent("low/\(pair.name)"), format: .png)
        try Image(tensor: pair.high).write(to: root.appendingPathComponent("high/\(pair.name)"), format: .png)
    }
    return root
}

/// A seeded random image `[1, 3, height, width]` in `[lower, upper]`.
func randomImage(_ height: Int, _ width: Int, seed: UInt64, in range: ClosedRange<Float> = 0...1) -> Tensor {
    var generator = SplitMix64(seed: seed)
    return Tensor.uniform(shape: [1, 3, height, width], in: range, using: &generator)
}

@Suite struct PairedDataTests {
    @Test func pairsAreMatchedByNameWithoutExtension() throws {
        let root = try makePairsFolder([("b.png", randomImage(8, 8, seed: 1), randomImage(8, 8, seed: 2)),
                                        ("a.png", randomImage(8, 8, seed: 3), randomImage(8, 8, seed: 4))])
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.moveItem(at: root.appendingPathComponent("high/a.png"), to: root.appendingPathComponent("high/a.jpg"))
        let folder = try PairedFolder(root)
        #expect(folder.pairs.map(\.name) == ["a", "b"])
        #expect(folder.pairs[0].high.lastPathComponent == "a.jpg" && folder.pairs[0].low.lastPathComponent == "a.png")
    }

    @Test func unmatchedNamesAreListedOnBothSides() throws {
        let root = try makePairsFolder([("shared.png", randomImage(8, 8, seed: 1), randomImage(8, 8, seed: 2))])
        defer { try? FileManager.default.removeItem(at: root) }
        try Image(tensor: randomImage(8, 8, seed: 3)).write(to: root.appendingPathComponent("low/only-low.png"), format: .png)
        try Image(tensor: randomImage(8, 8, seed: 4)).write(to: root.appendingPathComponent("high/only-high.png"), format: .png)
        #expect(throws: DatasetError.unmatchedPairs(folder: root.relativePath, input: "low", target: "high",
                                                         inputOnly: ["only-low.png"], targetOnly: ["only-high.png"])) {
            try PairedFolder(root)
        }
        let message = DatasetError.unmatchedPairs(folder: "p", input: "low", target: "high", inputOnly: ["only-low.png"],
                                                  targetOnly: ["only-high.png"]).localizedDescription
        #expect(message.contains("only-low.png") && message.contains("only-high.png") && message.contains("low/"))
    }

    @Test func aFolderWithoutLowAndHighIsNotAPairsFolder() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: DatasetError.missingSubfolders(root.relativePath, input: "low", target: "high")) { try PairedFolder(root) }
    }

    @Test func pairsOfDifferentSizesAreRefusedNamingBothFiles() throws {
        let root = try makePairsFolder([("a.png", randomImage(8, 8, seed: 1), randomImage(8, 8, seed: 2)),
                                        ("b.png", randomImage(8, 10, seed: 3), randomImage(8, 12, seed: 4))])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect {
            try PairedSource(PairedFolder(root))
        } throws: { error in
            let message = error.localizedDescription
            return message.contains("low/b.png") && message.contains("high/b.png") && message.contains("10x8") && message.contains("12x8")
        }
    }

    @Test func spatialAugmentationKeepsAPairAligned() throws {
        let image = randomImage(40, 56, seed: 5)
        let root = try makePairsFolder([("same.png", image, image)])
        defer { try? FileManager.default.removeItem(at: root) }
        let source = try PairedSource(PairedFolder(root))
        for position in 0..<8 {
            var generator = TrainingSampler(seed: 1, count: 1).generator(epoch: 0, position: position)
            let sample = try source.sample(0, slot: 0, batchSize: 1, size: 24, using: &generator)
            #expect(sample.input.shape.dimensions == [1, 3, 24, 24])
            #expect(sample.input.scalars == sample.target?.scalars)
        }
    }

    @Test func everyBatchTakesOnePairFromEachExposureBand() {
        let exposures = (0..<16).map { -Float($0) / 4 }
        let order = exposureMixedOrder(exposures, shuffled: TrainingSampler(seed: 2, count: 16).order(epoch: 0), strata: 4)
        #expect(order.sorted() == Array(0..<16))
        for batch in 0..<4 {
            let bands = order[batch * 4 ..< batch * 4 + 4].map { index in
                exposures.sorted().firstIndex(of: exposures[index])! / 4
            }
            #expect(bands.sorted() == [0, 1, 2, 3], "batch \(batch): bands \(bands)")
        }
    }

    @Test func pairOrderMeasuresExposureFromTheImages() throws {
        let high = randomImage(8, 8, seed: 6, in: 0.4...0.8)
        let root = try makePairsFolder([("dark.png", withoutGradients { high * 0.25 }, high),
                                        ("light.png", withoutGradients { high * 0.5 }, high)])
        defer { try? FileManager.default.removeItem(at: root) }
        let exposures = try PairedSource(PairedFolder(root)).exposures
        #expect(abs(exposures[0] - -2) < 0.05 && abs(exposures[1] - -1) < 0.05, "\(exposures)")
    }

    @Test func synthesizedBatchesSpanTheExposureRange() throws {
        let folder = try makeTemporaryDirectory("lumen-normal")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Image(tensor: randomImage(48, 48, seed: 7, in: 0.3...0.9)).write(to: folder.appendingPathComponent("a.png"), format: .png)
        var degradation = Degradation()
        (degradation.gamma, degradation.ev) = (1...1, -4 ... -1)
        (degradation.shadowProbability, degradation.colorCastProbability, degradation.gaussianBlurProbability) = (0, 0, 0)
        (degradation.motionBlurProbability, degradation.noiseProbability, degradation.jpegProbability) = (0, 0, 0)
        let source = SynthesizedSource(normal: try ImageFolder(folder), degradation: degradation)
        for slot in 0..<3 {
            var generator = SplitMix64(seed: UInt64(slot))
            let sample = try source.sample(0, slot: slot, batchSize: 3, size: 32, using: &generator)
            let target = try #require(sample.target)
            let ev = log2(SRGB.toLinear(sample.input).mean().scalar / SRGB.toLinear(target).mean().scalar)
            #expect(ev >= -4 + Float(slot) - 0.01 && ev <= -3 + Float(slot) + 0.01, "slot \(slot): \(ev) EV")
        }
    }
}
