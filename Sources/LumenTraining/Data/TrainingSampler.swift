import LumenTensor

/// The deterministic randomness of a training run: which images an epoch visits
/// in which order, and the augmentation draws of each sample.
///
/// Every draw is a function of (seed, epoch, position) only, so a run resumed at
/// any step sees exactly the batches an uninterrupted run would have seen.
public struct TrainingSampler: Sendable, Hashable {
    /// The run's seed.
    public let seed: UInt64
    /// How many images the dataset has.
    public let count: Int

    public init(seed: UInt64, count: Int) {
        self.seed = seed
        self.count = count
    }

    /// The image indices of `epoch`, shuffled.
    public func order(epoch: Int) -> [Int] {
        var generator = generator(epoch: epoch, position: -1)
        return Array(0..<count).shuffled(using: &generator)
    }

    /// A generator for the sample at `position` of `epoch` (augmentations).
    public func generator(epoch: Int, position: Int) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: epoch) &* 0x9E37_79B9_7F4A_7C15))
        var generator = SplitMix64(seed: mixer.next() ^ UInt64(bitPattern: Int64(position)))
        _ = generator.next()
        return generator
    }
}
