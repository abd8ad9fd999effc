import Foundation
import Lumen
import LumenImaging
import LumenTensor

/// Where training samples come from: a folder of photos (zero-reference), of
/// low/normal pairs, or of normal photos darkened on the fly.
///
/// Every random draw comes from the generator ``TrainingBatches`` hands over,
/// which depends only on (seed, epoch, position), so resumed runs see the same samples.
public protocol TrainingSource: Sendable {
    /// The folder, for messages.
    var url: URL { get }
    /// How many samples one epoch visits.
    var count: Int { get }
    /// Whether samples come with targets.
    var isPaired: Bool { get }
    /// The sample indices of `epoch`, in training order.
    func order(epoch: Int, sampler: TrainingSampler, batchSize: Int) -> [Int]
    /// Sample `index` as one augmented `size x size` crop `[1, 3, size, size]`.
    /// - Parameter slot: its place in its batch (`0..<batchSize`), for sources that
    ///   spread each batch over a range (exposure).
    /// - Throws: an error naming the file that could not be used.
    func sample(_ index: Int, slot: Int, batchSize: Int, size: Int, using generator: inout SplitMix64) throws -> TrainingBatch
    /// The first `count` usable samples, centre-cropped without randomness: the previews.
    func previews(count: Int, size: Int) -> TrainingBatch?
}

extension TrainingSource {
    /// A plain shuffle.
    public func order(epoch: Int, sampler: TrainingSampler, batchSize: Int) -> [Int] { sampler.order(epoch: epoch) }
}

/// How a run gets its training data.
public enum TrainingDataSource: Sendable, Equatable {
    /// Photos without references (zero-reference training).
    case images(URL)
    /// A folder with `low/` and `high/` holding pairs of the same names.
    case pairs(URL)
    /// Normally exposed photos, each darkened by a fresh draw of `degradation` every time it is used.
    case synthesized(from: URL, degradation: Degradation)
    /// Clean images for a restoration model, degraded afresh every time they are
    /// used and converted to the model's channels (``RestorationSource``).
    case restoration(URL, degradation: RestorationDegradation, colorModel: RestorationColorModel, cropsPerImage: Int)
    /// Two folders of unrelated photos, dark ones (the inputs) and normally exposed
    /// ones (the targets), for unpaired GANs.
    case unpaired(dark: URL, normal: URL)
    /// Matting data: `image/` and `alpha/` of the same names (``MattingSource``).
    case matting(URL)

    /// The folder.
    public var url: URL {
        switch self {
        case .images(let url), .pairs(let url), .synthesized(let url, _), .restoration(let url, _, _, _), .unpaired(let url, _),
             .matting(let url): url
        }
    }

    /// Whether samples come with targets.
    public var isPaired: Bool {
        if case .images = self { false } else { true }
    }

    /// Opens the folder.
    /// - Throws: `DatasetError` naming the folder or files that cannot be used.
    public func makeSource(progress: (Int, Int) -> Void = { _, _ in }) throws -> any TrainingSource {
        switch self {
        case .images(let url): try ImageFolder(url)
        case .pairs(let url): try PairedSource(PairedFolder(url), progress: progress)
        case let .synthesized(url, degradation): SynthesizedSource(normal: try ImageFolder(url), degradation: degradation)
        case let .restoration(url, degradation, colorModel, crops):
            RestorationSource(try ImageFolder(url), degradation: degradation, colorModel: colorModel, cropsPerImage: crops)
        case let .unpaired(dark, normal): UnpairedSource(dark: try ImageFolder(dark), normal: try ImageFolder(normal))
        case .matting(let url): try MattingSource(url, progress: progress)
        }
    }
}
