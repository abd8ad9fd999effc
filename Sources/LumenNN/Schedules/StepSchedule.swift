import Foundation

/// Decays the learning rate by `gamma` every `stepSize` steps, as PyTorch's
/// `StepLR` closed form: `lr = initial · gamma^⌊step / stepSize⌋`.
public struct StepSchedule: LearningRateSchedule {
    /// The learning rate of steps `0 ..< stepSize`.
    public var initialLearningRate: Float
    /// Steps between decays.
    public var stepSize: Int
    /// Multiplicative decay factor.
    public var gamma: Float

    /// Creates the schedule; `gamma` defaults to PyTorch's `0.1`.
    public init(initialLearningRate: Float, stepSize: Int, gamma: Float = 0.1) {
        precondition(stepSize > 0, "StepSchedule step size \(stepSize)")
        self.initialLearningRate = initialLearningRate
        self.stepSize = stepSize
        self.gamma = gamma
    }

    /// `initial · gamma^⌊step / stepSize⌋`.
    public func learningRate(atStep step: Int) -> Float {
        Float(Double(initialLearningRate) * Foundation.pow(Double(gamma), Double(step / stepSize)))
    }
}
