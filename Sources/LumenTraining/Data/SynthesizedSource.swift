import Foundation
import LumenImaging
import LumenIO
import LumenTensor

/// Training pairs made on the fly from normally exposed photos: each time a photo
/// is used it is cropped (random resized crop, flips) into the target, and a
/// fresh draw of the ``Degradation`` turns that crop into the input.
///
/// Batches span the exposure range: the sample in slot `k` of a batch of `B`
/// takes its EV from the `k`-th of `B` equal bands of `degradation.ev`.
public struct SynthesizedSource: TrainingSource {
    /// The normally exposed photos.
    public let normal: ImageFolder
    public let degradation: Degradation
    /// The spatial augmentation of the photo before it is darkened.
    public let augmentation: AlignedAugmentation

    public var url: URL { normal.url }
    public var count: Int { normal.files.count }
    public var isPaired: Bool { true }

    public init(normal: ImageFolder, degradation: Degradation) {
        self.normal = normal
        self.degradation = degradation
        augmentation = PairedSource.defaultAugmentation
    }

    public func sample(_ index: Int, slot: Int, batchSize: Int, size: Int, using generator: inout SplitMix64) throws -> TrainingBatch {
        var augmentation = augmentation
        augmentation.cropSize = size
        let photo = try Image(contentsOf: normal.files[index]).rgb().tensor()
        let target = augmentation.applied(to: photo, targets: [], using: &generator).input
        var parameters = degradation.sample(using: &generator)
        parameters.ev = exposure(band: slot, of: batchSize, using: &generator)
        return TrainingBatch(input: degradation.applied(to: target, parameters: parameters), target: target)
    }

    /// The first photos, centre-cropped, darkened with EVs spread evenly over the
    /// range by a fixed draw: the same previews in every run.
    public func previews(count: Int, size: Int) -> TrainingBatch? {
        let photos = Array(normal.files.lazy.compactMap { try? Image(contentsOf: $0).rgb().tensor() }.prefix(count)
            .map { Augmentation.centerCrop($0, size: size) })
        var generator = SplitMix64(seed: 0)
        let samples = photos.enumerated().map { index, target in
            var parameters = degradation.sample(using: &generator)
            parameters.ev = exposure(band: index, of: photos.count, using: &generator)
            return TrainingBatch(input: degradation.applied(to: target, parameters: parameters), target: target)
        }
        return samples.isEmpty ? nil : TrainingBatch.concatenated(samples)
    }

    /// A uniform draw from the `band`-th of `bands` equal parts of `degradation.ev`.
    func exposure(band: Int, of bands: Int, using generator: inout SplitMix64) -> Float {
        let range = degradation.ev, width = (range.upperBound - range.lowerBound) / Float(bands)
        let low = range.lowerBound + Float(band) * width
        return width > 0 ? Float.random(in: low...(low + width), using: &generator) : low
    }
}
