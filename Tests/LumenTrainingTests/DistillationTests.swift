import Foundation
import Lumen
import LumenNN
import LumenTensor
import LumenTestSupport
import LumenTraining
import Testing

/// Distillation into a narrow Zero-DCE: its objective, and that the teacher term
/// moves the student towards the teacher.
@Suite struct DistillationTests {
    func photos(seed: UInt64) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor.uniform(shape: [2, 3, 24, 24], in: 0...0.4, using: &generator)
    }

    @Test func withoutTheTeacherItIsZeroDCETrainingOfTheSameStudent() throws {
        let teacher = try ModelKind.zeroDCE.pretrained()
        let alone = DistillationRecipe(teacher: teacher, teacherDescription: "zero-dce", studentWidths: Array(repeating: 8, count: 6), distillationWeight: 0, seed: 4)
        let plain = CurveEstimationRecipe(.zeroDCE, seed: 4, widths: Array(repeating: 8, count: 6))
        let batch = TrainingBatch(input: photos(seed: 1))
        let (a, b) = withoutGradients { (alone.losses(batch), plain.losses(batch)) }
        #expect(a.terms.map(\.name) == ["spatial", "exposure", "color", "smoothness"])
        #expect(a.total.scalar == b.total.scalar)
        #expect(alone.student.widths == Array(repeating: 8, count: 6))
    }

    @Test func theTeacherTermIsTheL1DistanceToTheTeachersOutput() throws {
        let teacher = try ModelKind.zeroDCE.pretrained()
        let recipe = DistillationRecipe(teacher: teacher, teacherDescription: "zero-dce", studentWidths: [4, 4, 4, 4, 4, 4], distillationWeight: 7, seed: 2)
        let input = photos(seed: 3)
        let terms = withoutGradients { recipe.losses(TrainingBatch(input: input)) }
        let expected = withoutGradients { l1Loss(recipe.student.enhanced(input), teacher.enhanced(input)).scalar }
        let term = try #require(terms["teacher"])
        #expect(Swift.abs(term.value.scalar - expected) < 1e-6)
        let zeroReference = terms.terms.filter { $0.name != "teacher" }.reduce(Float(0)) { $0 + $1.weight * $1.value.scalar }
        #expect(Swift.abs(terms.total.scalar - (zeroReference + 7 * expected)) < 1e-5)
        #expect(recipe.configuration == ["teacher": "zero-dce", "distillation_weight": "7.0", "student_widths": "4,4,4,4,4,4"])
    }

    /// The same student, seed and steps, with and without the teacher: the distilled
    /// one ends closer to the teacher's output on photos it did not train on.
    @Test(.tags(.slow), .fixtures(trainingData)) func theTeacherPullsTheStudentTowardsItsOutput() throws {
        let data = try trainingSubset(count: 12)
        defer { try? FileManager.default.removeItem(at: data) }
        let teacher = try ModelKind.zeroDCE.pretrained()
        let held = TrainingBatch(input: photos(seed: 11))
        func distance(after weight: Float) throws -> (before: Float, after: Float) {
            let run = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: run) }
            let recipe = DistillationRecipe(teacher: teacher, teacherDescription: "zero-dce", studentWidths: Array(repeating: 8, count: 6),
                                            distillationWeight: weight, seed: 6)
            func measured() -> Float { withoutGradients { l1Loss(recipe.enhanced(held.input), teacher.enhanced(held.input)).scalar } }
            let before = measured()
            let options = TrainingOptions(data: .images(data), runDirectory: run, epochs: 3, batchSize: 4, learningRate: 1e-3,
                                          size: 32, seed: 5, checkpointInterval: 100, previewCount: 1)
            _ = try Trainer(recipe: recipe, options: options) { _ in }.run()
            return (before, measured())
        }
        let distilled = try distance(after: 20), alone = try distance(after: 0)
        #expect(distilled.before == alone.before, "the same initial student")
        #expect(distilled.after < distilled.before && distilled.after < alone.after,
                "L1 to the teacher: \(distilled.before) -> \(distilled.after) distilled, -> \(alone.after) alone")
    }
}
