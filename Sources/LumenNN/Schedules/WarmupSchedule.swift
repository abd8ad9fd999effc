/// Linear warm-up for `warmupSteps` steps, then another schedule restarted at
/// its step 0 (the convention of Hugging Face's `get_*_schedule_with_warmup`):
/// `lr(step) = wrapped(0) · step / warmupSteps` for `step < warmupSteps`,
/// `wrapped(step − warmupSteps)` afterwards.
///
/// Step 0 therefore has learning rate 0 and step `warmupSteps` reaches `wrapped(0)`.
public struct WarmupSchedule<Wrapped: LearningRateSchedule>: LearningRateSchedule {
    /// Length of the linear ramp.
    public var warmupSteps: Int
    /// The schedule that follows the ramp.
    public var wrapped: Wrapped

    /// Creates the schedule.
    public init(warmupSteps: Int, wrapping wrapped: Wrapped) {
        precondition(warmupSteps >= 0, "WarmupSchedule warm-up steps \(warmupSteps)")
        self.warmupSteps = warmupSteps
        self.wrapped = wrapped
    }

    /// The ramp value before `warmupSteps`, the wrapped schedule's afterwards.
    public func learningRate(atStep step: Int) -> Float {
        guard step < warmupSteps else { return wrapped.learningRate(atStep: step - warmupSteps) }
        return Float(Double(wrapped.learningRate(atStep: 0)) * Double(step) / Double(warmupSteps))
    }
}
