import Foundation
import Lumen
import LumenNN
import LumenTensor

/// Knowledge distillation into a narrower Zero-DCE: the student learns the
/// teacher's enhanced images (L1) together with its own zero-reference losses.
///
/// The objective is Zero-DCE's four terms with their official weights plus
/// `teacher · L1(student(x), teacher(x))`. With ``distillationWeight`` 0 the
/// teacher is not run at all and the recipe is plain Zero-DCE training of the
/// same student, the baseline a distillation is compared with: same seed, same
/// initialisation, same data order, same steps. The teacher is any enhancer
/// (any zoo model, an int8 one too); it runs in evaluation mode without gradients.
public final class DistillationRecipe: TrainingRecipe {
    /// The student, the network being trained.
    public let student: ZeroDCE
    /// The model whose outputs are the targets.
    public let teacher: any TensorEnhancer
    /// What the teacher is, for the run's settings (`zero-dce`, `zero-dce-pp:weights.pth`).
    public let teacherDescription: String
    /// Weight of the L1 distance to the teacher's output.
    public let distillationWeight: Float
    public var modelName: String { ModelKind.zeroDCE.rawValue }
    public var network: Module { student }
    public var isSupervised: Bool { false }
    public let gradientClipNorm: Float? = 0.1
    public let weightDecay: Float = 1e-4

    /// The weight `lumen distill` gives the teacher term unless told otherwise.
    public static let defaultDistillationWeight: Float = 10

    /// - Parameters:
    ///   - studentWidths: the student's feature channels in each of its six hidden
    ///     layers (``ZeroDCE/widths``; 32 each is the official Zero-DCE, a pruned model has its own).
    ///   - distillationWeight: the weight of the teacher term; 0 trains the student alone.
    public init(teacher: any TensorEnhancer, teacherDescription: String, studentWidths: [Int],
                distillationWeight: Float, seed: UInt64) {
        precondition(studentWidths.count == 6 && studentWidths.allSatisfy { $0 >= 1 } && distillationWeight >= 0,
                     "student widths \(studentWidths), distillation weight \(distillationWeight)")
        var generator = SplitMix64(seed: seed)
        student = ZeroDCE(widths: studentWidths, using: &generator)
        self.teacher = teacher
        self.teacherDescription = teacherDescription
        self.distillationWeight = distillationWeight
    }

    public func losses(_ batch: TrainingBatch) -> LossTerms {
        let output = student(batch.input)
        let zeroReference = ZeroDCEObjective.zeroDCE(input: batch.input, output: output)
        guard distillationWeight > 0 else { return zeroReference }
        let target = withoutGradients { teacher.enhanced(batch.input) }
        return LossTerms(zeroReference.terms + [
            LossTerm(name: "teacher", value: l1Loss(output.enhanced, target), weight: distillationWeight),
        ])
    }

    public func enhanced(_ batch: Tensor) -> Tensor { withoutGradients { student.enhanced(batch) } }

    /// Starts the student from Zero-DCE weights of its widths (a pruned model, to
    /// fine-tune it towards the model it was pruned from).
    public func loadInitialWeights(from url: URL) throws { try student.loadWeights(from: url, expecting: .zeroDCE) }

    public func saveInferenceWeights(to url: URL, metadata: [String: String]) throws {
        try student.saveWeights(to: url, kind: .zeroDCE, metadata: metadata.merging([
            "lumen.distillation.teacher": teacherDescription,
            "lumen.distillation.weight": String(distillationWeight),
        ]) { $1 })
    }

    /// A resume must distil from the same teacher with the same weight.
    public var configuration: [String: String] {
        ["teacher": teacherDescription, "distillation_weight": String(distillationWeight),
         "student_widths": student.widths.map(String.init).joined(separator: ",")]
    }
}
