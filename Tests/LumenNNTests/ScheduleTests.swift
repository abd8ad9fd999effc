import Foundation
import LumenNN
import LumenTensor
import Testing

@Suite struct ScheduleTests {
    @Test(arguments: [(0, 0.1), (2, 0.1), (3, 0.05), (5, 0.05), (7, 0.025)])
    func stepSchedule(step: Int, expected: Double) {
        let schedule = StepSchedule(initialLearningRate: 0.1, stepSize: 3, gamma: 0.5)
        expectClose([schedule.learningRate(atStep: step)], [expected], tolerance: 1e-7)
    }

    @Test(arguments: [0, 2, 5, 10])
    func cosineSchedule(step: Int) {
        let schedule = CosineSchedule(initialLearningRate: 1, maximumStep: 10, minimumLearningRate: 0.1)
        let expected = 0.1 + 0.9 * (1 + cos(Double.pi * Double(step) / 10)) / 2
        expectClose([schedule.learningRate(atStep: step)], [expected], tolerance: 1e-7)
        #expect(CosineSchedule(initialLearningRate: 1, maximumStep: 10).learningRate(atStep: 5) == 0.5)
    }

    @Test(arguments: [(0, 0.0), (1, 0.025), (2, 0.05), (4, 0.1), (6, 0.1), (7, 0.05)])
    func warmupSchedule(step: Int, expected: Double) {
        let schedule = WarmupSchedule(warmupSteps: 4,
                                      wrapping: StepSchedule(initialLearningRate: 0.1, stepSize: 3, gamma: 0.5))
        expectClose([schedule.learningRate(atStep: step)], [expected], tolerance: 1e-7)
    }
}
