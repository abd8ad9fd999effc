import LumenTensor

/// Training inputs and, for supervised training, the targets they should become.
public struct TrainingBatch: Sendable {
    /// The inputs `[B, C, S, S]` in `[0, 1]` (3 channels for enhancement models).
    public let input: Tensor
    /// The targets (supervised), or `nil` (zero-reference): the inputs' shape for
    /// enhancement, larger for super-resolution, with the restoration model's channels.
    public let target: Tensor?

    public init(input: Tensor, target: Tensor? = nil) {
        precondition(target.map { $0.shape[0] == input.shape[0] } ?? true, "target \(target!.shape) for input \(input.shape)")
        self.input = input
        self.target = target
    }

    /// The number of samples.
    public var count: Int { input.shape[0] }

    /// `samples` stacked along the batch axis (all paired or none).
    static func concatenated(_ samples: [TrainingBatch]) -> TrainingBatch {
        withoutGradients {
            let targets = samples.compactMap(\.target)
            return TrainingBatch(input: Tensor.concatenated(samples.map(\.input), axis: 0),
                                 target: targets.isEmpty ? nil : Tensor.concatenated(targets, axis: 0))
        }
    }
}
