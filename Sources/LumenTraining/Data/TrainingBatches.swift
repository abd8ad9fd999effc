import Dispatch
import Foundation
import LumenIO
import LumenTensor

/// Turns a ``TrainingSource`` into training batches `[B, 3, size, size]`.
///
/// The source decides what a sample is (a cropped photo, an aligned pair, a
/// freshly darkened photo) and the order of an epoch; all random draws come from
/// the ``TrainingSampler``. The next batch is prepared on a background queue while
/// the current one trains. A sample that cannot be read is reported once, by
/// name, through `warn` and left out of its batch.
public final class TrainingBatches: @unchecked Sendable {
    public let source: any TrainingSource
    public let sampler: TrainingSampler
    public let batchSize: Int
    public let size: Int
    private let warn: @Sendable (String) -> Void
    private let lock = NSLock()
    private var reported = Set<String>()

    public init(source: any TrainingSource, seed: UInt64, batchSize: Int, size: Int, warn: @escaping @Sendable (String) -> Void) {
        precondition(batchSize > 0 && size > 0, "batch size \(batchSize), size \(size)")
        self.source = source
        self.sampler = TrainingSampler(seed: seed, count: source.count)
        self.batchSize = batchSize
        self.size = size
        self.warn = warn
    }

    /// Batches per epoch (the last one may be smaller).
    public var batchesPerEpoch: Int { (source.count + batchSize - 1) / batchSize }

    /// The batches of `epoch` from batch index `first` on, prepared one batch ahead.
    /// A batch whose samples all failed is skipped (reported through `warn`).
    public func batches(epoch: Int, from first: Int = 0) -> AnyIterator<(index: Int, batch: TrainingBatch)> {
        let order = source.order(epoch: epoch, sampler: sampler, batchSize: batchSize)
        var pending: (index: Int, result: DispatchWorkItem, value: UncheckedResult)?
        let queue = DispatchQueue(label: "lumen.training.decode")
        func schedule(_ index: Int) {
            guard index < batchesPerEpoch else { pending = nil; return }
            let value = UncheckedResult()
            let item = DispatchWorkItem { value.batch = self.makeBatch(epoch: epoch, index: index, order: order) }
            queue.async(execute: item)
            pending = (index, item, value)
        }
        schedule(first)
        return AnyIterator {
            while let current = pending {
                current.result.wait()
                schedule(current.index + 1)
                if let batch = current.value.batch { return (current.index, batch) }
            }
            return nil
        }
    }

    /// The samples of one batch; `nil` if none could be made.
    func makeBatch(epoch: Int, index: Int, order: [Int]) -> TrainingBatch? {
        let positions = index * batchSize ..< min((index + 1) * batchSize, order.count)
        let samples = positions.compactMap { position -> TrainingBatch? in
            var generator = sampler.generator(epoch: epoch, position: position)
            do {
                return try source.sample(order[position], slot: position - positions.lowerBound, batchSize: batchSize,
                                         size: size, using: &generator)
            } catch {
                report(error)
                return nil
            }
        }
        return samples.isEmpty ? nil : TrainingBatch.concatenated(samples)
    }

    private func report(_ error: Error) {
        let message = error.localizedDescription
        let first = lock.withLock { reported.insert(message).inserted }
        if first { warn("skipping \(message)") }
    }
}

/// A batch prepared on the background queue, read after its work item finished.
private final class UncheckedResult: @unchecked Sendable {
    var batch: TrainingBatch?
}
