import Dispatch
import Foundation
import LumenIO
import LumenTensor

/// Turns an image folder into training batches `[B, 3, size, size]`.
///
/// Each image is decoded, scaled by area averaging so its short side is `size`,
/// randomly cropped to `size x size` and randomly flipped; all draws come from the
/// ``TrainingSampler``. The next batch is decoded on a background queue while the
/// current one trains. An image that cannot be decoded is reported once, by name,
/// through `warn` and left out of its batch.
public final class TrainingBatches: @unchecked Sendable {
    public let folder: ImageFolder
    public let sampler: TrainingSampler
    public let batchSize: Int
    public let size: Int
    private let warn: @Sendable (String) -> Void
    private let lock = NSLock()
    private var reported = Set<URL>()

    public init(folder: ImageFolder, seed: UInt64, batchSize: Int, size: Int, warn: @escaping @Sendable (String) -> Void) {
        precondition(batchSize > 0 && size > 0, "batch size \(batchSize), size \(size)")
        self.folder = folder
        self.sampler = TrainingSampler(seed: seed, count: folder.files.count)
        self.batchSize = batchSize
        self.size = size
        self.warn = warn
    }

    /// Batches per epoch (the last one may be smaller).
    public var batchesPerEpoch: Int { (folder.files.count + batchSize - 1) / batchSize }

    /// The batches of `epoch` from batch index `first` on, decoded one batch ahead.
    /// A batch whose images all failed is skipped (reported through `warn`).
    public func batches(epoch: Int, from first: Int = 0) -> AnyIterator<(index: Int, images: Tensor)> {
        let order = sampler.order(epoch: epoch)
        var next = first
        var pending: (index: Int, result: DispatchWorkItem, value: UncheckedResult)?
        let queue = DispatchQueue(label: "lumen.training.decode")
        func schedule(_ index: Int) {
            guard index < batchesPerEpoch else { pending = nil; return }
            let value = UncheckedResult()
            let item = DispatchWorkItem { value.tensor = self.decodeBatch(epoch: epoch, index: index, order: order) }
            queue.async(execute: item)
            pending = (index, item, value)
        }
        schedule(next)
        return AnyIterator {
            while let current = pending {
                current.result.wait()
                next = current.index + 1
                schedule(next)
                if let tensor = current.value.tensor { return (current.index, tensor) }
            }
            return nil
        }
    }

    /// Decodes and augments the images of one batch; `nil` if none decoded.
    func decodeBatch(epoch: Int, index: Int, order: [Int]) -> Tensor? {
        let positions = index * batchSize ..< min((index + 1) * batchSize, order.count)
        let samples = positions.compactMap { position -> Tensor? in
            let url = folder.files[order[position]]
            var generator = sampler.generator(epoch: epoch, position: position)
            do {
                return Augmentation.cropAndFlip(try Image(contentsOf: url).rgb().tensor(), size: size, using: &generator)
            } catch {
                report(url, error)
                return nil
            }
        }
        return samples.isEmpty ? nil : withoutGradients { Tensor.concatenated(samples, axis: 0) }
    }

    private func report(_ url: URL, _ error: Error) {
        let first = lock.withLock { reported.insert(url).inserted }
        if first { warn("skipping \(error.localizedDescription)") }
    }
}

/// A batch decoded on the background queue, read after its work item finished.
private final class UncheckedResult: @unchecked Sendable {
    var tensor: Tensor?
}

/// The geometric augmentations of zero-reference training.
enum Augmentation {
    /// Scales `[1, 3, H, W]` so its short side is `size` (area averaging), crops a
    /// random `size x size` square and flips it horizontally and vertically at random.
    static func cropAndFlip(_ image: Tensor, size: Int, using generator: inout SplitMix64) -> Tensor {
        withoutGradients {
            let scaled = scaledToShortSide(image, size: size)
            let top = Int.random(in: 0...(scaled.shape[2] - size), using: &generator)
            let left = Int.random(in: 0...(scaled.shape[3] - size), using: &generator)
            var x = scaled.sliced(axis: 2, range: top ..< top + size).sliced(axis: 3, range: left ..< left + size)
            if Bool.random(using: &generator) { x = x.flipped(axis: 3) }
            if Bool.random(using: &generator) { x = x.flipped(axis: 2) }
            return x
        }
    }

    /// Scales like ``cropAndFlip(_:size:using:)`` and keeps the centre square: previews.
    static func centerCrop(_ image: Tensor, size: Int) -> Tensor {
        withoutGradients {
            let scaled = scaledToShortSide(image, size: size)
            let top = (scaled.shape[2] - size) / 2, left = (scaled.shape[3] - size) / 2
            return scaled.sliced(axis: 2, range: top ..< top + size).sliced(axis: 3, range: left ..< left + size)
        }
    }

    /// `[1, 3, H, W]` scaled so its short side is `size`: area averaging when
    /// shrinking, bilinear when growing.
    private static func scaledToShortSide(_ image: Tensor, size: Int) -> Tensor {
        let height = image.shape[2], width = image.shape[3]
        let scale = Double(size) / Double(min(height, width))
        let scaledHeight = max(size, Int((Double(height) * scale).rounded()))
        let scaledWidth = max(size, Int((Double(width) * scale).rounded()))
        if scaledHeight == height && scaledWidth == width { return image }
        return scaledHeight < height ? image.adaptiveAvgPool2d(outputSize: (scaledHeight, scaledWidth))
            : image.resizedBilinear(height: scaledHeight, width: scaledWidth, alignCorners: false)
    }
}
