import Dispatch
import Foundation
import LumenImaging
import LumenIO
import LumenTensor

/// Training samples from a ``PairedFolder``: aligned random crops of each pair,
/// in batches that each span the dataset's range of exposures.
///
/// Opening the source decodes every pair once: to check that its two images have
/// one size (an error naming both files otherwise) and to measure its exposure
/// change, `log2(mean(low) / mean(high))`, by which batches are mixed.
public struct PairedSource: TrainingSource {
    public let folder: PairedFolder
    /// Each pair's exposure change in stops (negative: the low image is darker).
    public let exposures: [Float]
    /// The spatial augmentation drawn for each sample, identical for both images.
    public let augmentation: AlignedAugmentation

    public var url: URL { folder.url }
    public var count: Int { folder.pairs.count }
    public var isPaired: Bool { true }

    /// Checks and measures every pair.
    /// - Parameter progress: called with (pairs checked, pairs in all).
    /// - Throws: the decoding error or `DatasetError.pairSizesDiffer` of the first bad pair.
    public init(_ folder: PairedFolder, progress: (Int, Int) -> Void = { _, _ in }) throws {
        self.folder = folder
        augmentation = Self.defaultAugmentation
        var exposures = [Float](repeating: 0, count: folder.pairs.count)
        let chunk = 16
        for start in stride(from: 0, to: folder.pairs.count, by: chunk) {
            let indices = Array(start ..< min(start + chunk, folder.pairs.count))
            let results = ResultBox(count: indices.count)
            DispatchQueue.concurrentPerform(iterations: indices.count) { i in
                results.set(i, Result { try Self.survey(folder.pairs[indices[i]]) })
            }
            for (i, result) in results.values.enumerated() { exposures[indices[i]] = try result!.get() }
            progress(indices.last! + 1, folder.pairs.count)
        }
        self.exposures = exposures
    }

    /// A random resized crop covering half to all of the shorter side, and horizontal flips.
    public static var defaultAugmentation: AlignedAugmentation {
        var augmentation = AlignedAugmentation()
        augmentation.resizedCropScale = 0.5...1
        return augmentation
    }

    /// Pairs sorted by exposure into `batchSize` strata, each shuffled, then dealt
    /// out in turn, so every batch takes one pair from each exposure band.
    public func order(epoch: Int, sampler: TrainingSampler, batchSize: Int) -> [Int] {
        exposureMixedOrder(exposures, shuffled: sampler.order(epoch: epoch), strata: batchSize)
    }

    public func sample(_ index: Int, slot: Int, batchSize: Int, size: Int, using generator: inout SplitMix64) throws -> TrainingBatch {
        let (low, high) = try Self.load(folder.pairs[index])
        return augmentation.alignedCrop(low, target: high, size: size, using: &generator)
    }

    public func previews(count: Int, size: Int) -> TrainingBatch? {
        centerCroppedPreviews(folder.pairs.lazy.compactMap { try? Self.load($0) }.prefix(count), size: size)
    }

    /// The two images of a pair as `[1, 3, H, W]` tensors.
    /// - Throws: a decoding error, or `DatasetError.pairSizesDiffer`.
    public static func load(_ pair: ImagePair) throws -> (low: Tensor, high: Tensor) {
        let (low, high) = try (Image(contentsOf: pair.low).rgb(), Image(contentsOf: pair.high).rgb())
        try checkSizes(low, high, pair)
        return (low.tensor(), high.tensor())
    }

    private static func survey(_ pair: ImagePair) throws -> Float {
        let (low, high) = try (Image(contentsOf: pair.low).rgb(), Image(contentsOf: pair.high).rgb())
        try checkSizes(low, high, pair)
        func mean(_ image: Image) -> Double {
            Double(image.samples.reduce(0) { $0 + Int($1) }) / Double(image.samples.count * image.maximumValue)
        }
        return Float(log2(max(mean(low), 1e-4) / max(mean(high), 1e-4)))
    }

    private static func checkSizes(_ low: Image, _ high: Image, _ pair: ImagePair) throws(DatasetError) {
        guard low.width == high.width && low.height == high.height else {
            throw .pairSizesDiffer(low: pair.low.relativePath, high: pair.high.relativePath,
                                   lowSize: "\(low.width)x\(low.height)", highSize: "\(high.width)x\(high.height)")
        }
    }
}

extension AlignedAugmentation {
    /// The augmented `size x size` crop of an input and its target, as one sample.
    func alignedCrop(_ input: Tensor, target: Tensor, size: Int, using generator: inout SplitMix64) -> TrainingBatch {
        var augmentation = self
        augmentation.cropSize = size
        let (augmented, targets) = augmentation.applied(to: input, targets: [target], using: &generator)
        return TrainingBatch(input: augmented, target: targets[0])
    }
}

/// Centre crops of (input, target) pairs stacked into one batch, or `nil` for none: previews.
func centerCroppedPreviews(_ pairs: some Sequence<(Tensor, Tensor)>, size: Int) -> TrainingBatch? {
    let samples = pairs.map {
        TrainingBatch(input: Augmentation.centerCrop($0.0, size: size), target: Augmentation.centerCrop($0.1, size: size))
    }
    return samples.isEmpty ? nil : TrainingBatch.concatenated(samples)
}

/// `shuffled` (a permutation of the indices) sorted by `exposures` into `strata`
/// bands of near-equal size, then dealt out one band after the other, so that any
/// `strata` consecutive indices come from different bands. Within a band the
/// shuffled order is kept.
func exposureMixedOrder(_ exposures: [Float], shuffled: [Int], strata: Int) -> [Int] {
    let rank = Dictionary(uniqueKeysWithValues: shuffled.enumerated().map { ($1, $0) })
    let sorted = shuffled.sorted { (exposures[$0], rank[$0]!) < (exposures[$1], rank[$1]!) }
    let bands = max(1, min(strata, sorted.count))
    let groups = (0..<bands).map { band -> [Int] in
        let range = band * sorted.count / bands ..< (band + 1) * sorted.count / bands
        return sorted[range].sorted { rank[$0]! < rank[$1]! }
    }
    var order: [Int] = []
    order.reserveCapacity(sorted.count)
    for turn in 0..<(groups.map(\.count).max() ?? 0) {
        for group in groups where turn < group.count { order.append(group[turn]) }
    }
    return order
}

/// Results written by concurrent iterations, one slot each.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<Float, Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<Float, Error>) { lock.withLock { values[index] = value } }
}
