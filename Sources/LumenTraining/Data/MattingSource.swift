import Foundation
import LumenImaging
import LumenIO
import LumenTensor

/// Matting training samples from a folder with `image/` (the photos, dark or not)
/// and `alpha/` (their ground-truth mattes) of the same names, as `lumen
/// synth-matting` writes: aligned random crops, the alpha as the target
/// `[1, 1, S, S]`.
///
/// Opening the source reads every pair once, so that an alpha of another size than
/// its image, or one that is not grayscale, is an error naming the file before
/// training starts.
public struct MattingSource: TrainingSource {
    public let folder: PairedFolder
    /// The spatial augmentation drawn for each sample, identical for image and alpha.
    public let augmentation: AlignedAugmentation

    public var url: URL { folder.url }
    public var count: Int { folder.pairs.count }
    public var isPaired: Bool { true }

    /// Checks every pair of `url`.
    /// - Parameter progress: called with (pairs checked, pairs in all).
    public init(_ url: URL, progress: (Int, Int) -> Void = { _, _ in }) throws {
        folder = try PairedFolder(url, input: "image", target: "alpha")
        augmentation = PairedSource.defaultAugmentation
        for (index, pair) in folder.pairs.enumerated() {
            _ = try Self.load(pair)
            progress(index + 1, folder.pairs.count)
        }
    }

    public func sample(_ index: Int, slot: Int, batchSize: Int, size: Int, using generator: inout SplitMix64) throws -> TrainingBatch {
        let (image, alpha) = try Self.load(folder.pairs[index])
        return augmentation.alignedCrop(image, target: alpha, size: size, using: &generator)
    }

    public func previews(count: Int, size: Int) -> TrainingBatch? {
        centerCroppedPreviews(folder.pairs.lazy.compactMap { try? Self.load($0) }.prefix(count), size: size)
    }

    /// The image `[1, 3, H, W]` and its alpha `[1, 1, H, W]`.
    /// - Throws: a decoding error, `DatasetError.pairSizesDiffer`, or `DatasetError.badAlpha`.
    public static func load(_ pair: ImagePair) throws -> (image: Tensor, alpha: Tensor) {
        let (image, alphaImage) = try (Image(contentsOf: pair.low).rgb(), Image(contentsOf: pair.high))
        guard image.width == alphaImage.width && image.height == alphaImage.height else {
            throw DatasetError.pairSizesDiffer(low: pair.low.relativePath, high: pair.high.relativePath,
                                               lowSize: "\(image.width)x\(image.height)",
                                               highSize: "\(alphaImage.width)x\(alphaImage.height)")
        }
        let matte: Matte
        do { matte = try Matte(image: alphaImage) } catch {
            throw DatasetError.badAlpha(pair.high.relativePath, reason: error.description)
        }
        return (image.tensor(), matte.tensor)
    }
}
