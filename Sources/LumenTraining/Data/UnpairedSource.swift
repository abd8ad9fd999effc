import Foundation
import LumenIO
import LumenTensor

/// Two folders of unrelated photos for unpaired GANs (CycleGAN, EnlightenGAN):
/// an epoch runs over the dark photos in ``TrainingSampler`` order; each is the
/// input of a sample, and its target is a crop of a normally exposed photo drawn
/// from the sample's own generator, so the pairing is random but replayable.
public struct UnpairedSource: Sendable {
    /// The inputs.
    public let dark: ImageFolder
    /// The targets' domain.
    public let normal: ImageFolder

    public init(dark: ImageFolder, normal: ImageFolder) {
        self.dark = dark
        self.normal = normal
    }
}

extension UnpairedSource: TrainingSource {
    public var url: URL { dark.url }
    public var count: Int { dark.count }
    public var isPaired: Bool { true }

    public func sample(_ index: Int, slot: Int, batchSize: Int, size: Int, using generator: inout SplitMix64) throws -> TrainingBatch {
        let input = try dark.sample(index, slot: slot, batchSize: batchSize, size: size, using: &generator).input
        let partner = Int.random(in: 0..<normal.count, using: &generator)
        let target = try normal.sample(partner, slot: slot, batchSize: batchSize, size: size, using: &generator).input
        return TrainingBatch(input: input, target: target)
    }

    /// The first dark photos, with the first normal ones beside them.
    public func previews(count: Int, size: Int) -> TrainingBatch? {
        guard let inputs = dark.previews(count: count, size: size), let targets = normal.previews(count: inputs.count, size: size),
              targets.count == inputs.count else { return dark.previews(count: count, size: size) }
        return TrainingBatch(input: inputs.input, target: targets.input)
    }
}
