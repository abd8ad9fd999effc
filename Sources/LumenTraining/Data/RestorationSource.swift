import Foundation
import Lumen
import LumenImaging
import LumenIO
import LumenTensor

/// How clean training images are degraded into a restoration model's inputs.
public enum RestorationDegradation: Sendable, Equatable {
    /// Shrunk by `scale` with the MATLAB-style bicubic resize and rounded to 8 bits:
    /// the low-resolution images of the SR protocol.
    case downscale(scale: Int)
    /// Additive white Gaussian noise of a standard deviation drawn uniformly from
    /// `sigma` (in 8-bit levels) for each crop, not clipped: the denoising protocol's
    /// noise; a one-value range trains for one level.
    case gaussianNoise(sigma: ClosedRange<Double>)

    /// How many times larger the target is than the input.
    public var scale: Int {
        if case .downscale(let scale) = self { scale } else { 1 }
    }
}

/// Training crops for a restoration model, made on the fly from a folder of clean
/// images (`sr-train/T91`, `denoise-train/Train400`): the clean crop is the target,
/// its degradation the input.
///
/// Crops are taken at the image's own resolution (never rescaled, which would change
/// what noise and detail look like), flipped at random, and converted to the model's
/// channels as its ``RestorationColorModel`` would convert a photo: OpenCV's 8-bit Y
/// for the input and the unrounded full-range Y for the target of a luma model, the
/// samples themselves for RGB and gray ones. An epoch visits every image
/// `cropsPerImage` times. Decoded images are kept in memory (T91 is 30 MB).
public final class RestorationSource: TrainingSource, @unchecked Sendable {
    public let folder: ImageFolder
    public let degradation: RestorationDegradation
    public let colorModel: RestorationColorModel
    public let cropsPerImage: Int
    private let lock = NSLock()
    private var decoded: [Int: Image] = [:]

    /// - Precondition: `colorModel` is `.opencvLuma`, `.rgb` or `.gray`.
    public init(_ folder: ImageFolder, degradation: RestorationDegradation, colorModel: RestorationColorModel, cropsPerImage: Int) {
        precondition(colorModel != .nhatThanhYCbCr, "training in Nhat-Thanh's truncating YCbCr is not supported")
        precondition(cropsPerImage >= 1, "crops per image \(cropsPerImage)")
        (self.folder, self.degradation, self.colorModel, self.cropsPerImage) = (folder, degradation, colorModel, cropsPerImage)
    }

    public var url: URL { folder.url }
    public var count: Int { folder.files.count * cropsPerImage }
    public var isPaired: Bool { true }

    /// A random `size` x `size` crop of image `index % images` (`size` a multiple of
    /// the scale), flipped at random, and its degradation.
    /// - Throws: the decoding error, or `DatasetError.tooSmall` naming a file smaller than the crop.
    public func sample(_ index: Int, slot: Int, batchSize: Int, size: Int, using generator: inout SplitMix64) throws -> TrainingBatch {
        let image = try self.image(index % folder.files.count)
        guard image.width >= size, image.height >= size else {
            throw DatasetError.tooSmall(folder.files[index % folder.files.count].relativePath, size: size)
        }
        let top = Int.random(in: 0...(image.height - size), using: &generator)
        let left = Int.random(in: 0...(image.width - size), using: &generator)
        let flips = (Bool.random(using: &generator), Bool.random(using: &generator))
        let crop = image.cropped(top: top, left: left, size: size, flipHorizontally: flips.0, flipVertically: flips.1)
        return degraded(crop, using: &generator)
    }

    /// The centre crops of the first `count` usable images, degraded with a fixed seed.
    public func previews(count: Int, size: Int) -> TrainingBatch? {
        var generator = SplitMix64(seed: 0)
        var samples: [TrainingBatch] = []
        for index in folder.files.indices where samples.count < count {
            guard let image = try? self.image(index), image.width >= size, image.height >= size else { continue }
            let crop = image.cropped(top: (image.height - size) / 2, left: (image.width - size) / 2, size: size,
                                     flipHorizontally: false, flipVertically: false)
            samples.append(degraded(crop, using: &generator))
        }
        return samples.isEmpty ? nil : TrainingBatch.concatenated(samples)
    }

    /// The input and target of one clean 8-bit crop.
    func degraded(_ crop: Image, using generator: inout SplitMix64) -> TrainingBatch {
        withoutGradients {
            switch degradation {
            case .downscale(let scale):
                let low = crop.resizedLikeMATLAB(width: crop.width / scale, height: crop.height / scale)
                return TrainingBatch(input: modelInput(low), target: modelTarget(crop))
            case .gaussianNoise(let range):
                let clean = modelTarget(crop)
                let sigma = range.lowerBound == range.upperBound ? range.lowerBound
                    : Double.random(in: range, using: &generator)
                let noisy = Tensor(shape: clean.shape) { buffer in
                    clean.withUnsafeBufferPointer { values in
                        for index in values.indices {
                            buffer[index] = Float(Double(values[index]) + sigma / 255 * generator.nextGaussian())
                        }
                    }
                }
                return TrainingBatch(input: noisy, target: clean)
            }
        }
    }

    /// What the network sees of a photo: the colour model's input.
    private func modelInput(_ image: Image) -> Tensor {
        switch colorModel {
        case .opencvLuma: RestorationColorModel.opencvLuma.networkInput(image)
        case .rgb: image.rgb().tensor()
        case .gray, .nhatThanhYCbCr: Gray.fromRGB(image.rgb().tensor())
        }
    }

    /// What the network should produce: full precision, the luma unrounded.
    private func modelTarget(_ image: Image) -> Tensor {
        switch colorModel {
        case .opencvLuma, .gray, .nhatThanhYCbCr:
            image.colorChannels.channels == 1 ? image.colorChannels.tensor() : YCbCr.luma(image.rgb().tensor())
        case .rgb: image.rgb().tensor()
        }
    }

    /// Image `index`, decoded once (8-bit, alpha dropped).
    private func image(_ index: Int) throws -> Image {
        lock.lock()
        if let image = decoded[index] { lock.unlock(); return image }
        lock.unlock()
        let image = try Image(contentsOf: folder.files[index]).colorChannels.converted(toBitDepth: 8)
        lock.lock()
        decoded[index] = image
        lock.unlock()
        return image
    }
}

extension Image {
    /// The `size` x `size` square at (`top`, `left`), optionally mirrored.
    func cropped(top: Int, left: Int, size: Int, flipHorizontally: Bool, flipVertically: Bool) -> Image {
        var result = [UInt16]()
        result.reserveCapacity(size * size * channels)
        for row in 0..<size {
            let y = top + (flipVertically ? size - 1 - row : row)
            for column in 0..<size {
                let x = left + (flipHorizontally ? size - 1 - column : column)
                let start = (y * width + x) * channels
                result.append(contentsOf: samples[start ..< start + channels])
            }
        }
        return Image(width: size, height: size, channels: channels, bitDepth: bitDepth, samples: result)
    }
}
