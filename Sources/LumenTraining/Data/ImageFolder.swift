import Foundation
import LumenIO
import LumenTensor

/// The image files (every `ImageFormat`) of a training or validation folder, sorted by name.
public struct ImageFolder: Sendable {
    /// The folder.
    public let url: URL
    /// Its image files (not recursive), sorted by name so runs are reproducible.
    public let files: [URL]

    /// Lists the images in `url`.
    /// - Throws: `DatasetError` if the folder is missing, unreadable or has no images.
    public init(_ url: URL) throws(DatasetError) {
        self.url = url
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notAFolder(url.relativePath)
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: url.path) } catch {
            throw .unreadable(url.relativePath, error.localizedDescription)
        }
        files = names.sorted()
            .filter { ImageFormat(pathExtension: ($0 as NSString).pathExtension) != nil }
            .map { url.appendingPathComponent($0) }
        guard !files.isEmpty else { throw .empty(url.relativePath) }
    }
}

extension ImageFolder: TrainingSource {
    public var count: Int { files.count }
    public var isPaired: Bool { false }

    /// The photo scaled so its short side is `size`, randomly cropped and flipped.
    public func sample(_ index: Int, slot: Int, batchSize: Int, size: Int, using generator: inout SplitMix64) throws -> TrainingBatch {
        TrainingBatch(input: Augmentation.cropAndFlip(try Image(contentsOf: files[index]).rgb().tensor(), size: size, using: &generator))
    }

    public func previews(count: Int, size: Int) -> TrainingBatch? {
        let images = Array(files.lazy.compactMap { try? Image(contentsOf: $0).rgb().tensor() }.prefix(count))
        return images.isEmpty ? nil : TrainingBatch.concatenated(images.map { TrainingBatch(input: Augmentation.centerCrop($0, size: size)) })
    }
}
