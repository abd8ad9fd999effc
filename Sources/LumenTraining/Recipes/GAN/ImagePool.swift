import Foundation
import LumenNN
import LumenTensor

/// CycleGAN's image pool (Shrivastava et al. 2017): discriminators are shown a
/// mix of the newest generated images and older ones, which damps oscillation.
///
/// Until the pool is full every image is stored and passed through; then each
/// image is, with probability one half, swapped for a random stored one (which
/// is shown instead) or passed through. The stored images are part of the
/// checkpoint. When the image size changes (progressive resizing) the pool
/// starts afresh: old images of another size cannot be shown.
public final class ImagePool: @unchecked Sendable {
    /// How many images are kept (CycleGAN: 50); 0 passes everything through.
    public let capacity: Int
    private var images: [Tensor] = []

    public init(capacity: Int) {
        precondition(capacity >= 0, "pool capacity \(capacity)")
        self.capacity = capacity
    }

    /// The images to show for `batch` `[N, C, H, W]` (detached).
    public func query(_ batch: Tensor, using generator: inout SplitMix64) -> Tensor {
        guard capacity > 0 else { return batch }
        if let first = images.first, first.shape.dimensions.dropFirst() != batch.shape.dimensions.dropFirst() { images = [] }
        let shown = (0..<batch.shape[0]).map { index -> Tensor in
            let image = batch.sliced(axis: 0, range: index..<(index + 1)).copied()
            if images.count < capacity {
                images.append(image)
                return image
            }
            guard Bool.random(using: &generator) else { return image }
            let slot = Int.random(in: 0..<capacity, using: &generator)
            defer { images[slot] = image }
            return images[slot]
        }
        return Tensor.concatenated(shown, axis: 0)
    }

    /// The stored images, keyed `<prefix>.<index>`.
    public func state(prefix: String) -> [(key: String, tensor: Tensor)] {
        images.enumerated().map { (key: "\(prefix).\($0.offset)", tensor: $0.element) }
    }

    /// Restores the images saved by ``state(prefix:)``.
    public func load(_ state: StateDict, prefix: String) throws(StateDictError) {
        var restored: [Tensor] = []
        while let image = state["\(prefix).\(restored.count)"] { restored.append(image) }
        guard restored.count <= capacity else {
            throw .outOfRange(key: prefix, reason: "\(restored.count) images saved in a pool of \(capacity)")
        }
        images = restored
    }
}
