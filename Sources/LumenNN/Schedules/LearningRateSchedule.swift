/// A learning rate as a function of the optimisation step (0 for the first step).
///
/// ```swift
/// let schedule = WarmupSchedule(warmupSteps: 100, wrapping: CosineSchedule(initialLearningRate: 1e-3, maximumStep: 900))
/// for step in 0..<1000 {
///     for i in optimizer.groups.indices { optimizer.groups[i].learningRate = schedule.learningRate(atStep: step) }
///     ...
/// }
/// ```
public protocol LearningRateSchedule: Sendable {
    /// The learning rate to use for step `step` (≥ 0).
    func learningRate(atStep step: Int) -> Float
}
