import Foundation

/// Cosine annealing from `initialLearningRate` to `minimumLearningRate` over
/// `maximumStep` steps, as PyTorch's `CosineAnnealingLR` closed form:
/// `lr = ηmin + (η0 − ηmin)·(1 + cos(π·step / T_max)) / 2`.
///
/// Like the closed form, the curve continues periodically past `maximumStep`
/// (rising again); stop training there or wrap the schedule accordingly.
public struct CosineSchedule: LearningRateSchedule {
    /// η0, the learning rate at step 0.
    public var initialLearningRate: Float
    /// `T_max`, the step at which the minimum is reached.
    public var maximumStep: Int
    /// ηmin (`eta_min`).
    public var minimumLearningRate: Float

    /// Creates the schedule; the minimum defaults to PyTorch's `0`.
    public init(initialLearningRate: Float, maximumStep: Int, minimumLearningRate: Float = 0) {
        precondition(maximumStep > 0, "CosineSchedule maximum step \(maximumStep)")
        self.initialLearningRate = initialLearningRate
        self.maximumStep = maximumStep
        self.minimumLearningRate = minimumLearningRate
    }

    /// `ηmin + (η0 − ηmin)·(1 + cos(π·step / T_max)) / 2`.
    public func learningRate(atStep step: Int) -> Float {
        let low = Double(minimumLearningRate), high = Double(initialLearningRate)
        return Float(low + (high - low) * (1 + Foundation.cos(Double.pi * Double(step) / Double(maximumStep))) / 2)
    }
}
