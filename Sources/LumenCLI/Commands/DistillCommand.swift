import ArgumentParser
import Foundation
import Lumen
import LumenTraining

/// `lumen distill`: trains a narrower Zero-DCE on a teacher's outputs and its own
/// zero-reference losses.
struct Distill: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a smaller Zero-DCE to imitate a teacher model (knowledge distillation).",
        discussion: """
            The student, a Zero-DCE with --student-width channels in every layer (the official model \
            has 32), learns from photos alone (--data): the L1 distance between its output and the \
            teacher's, times --distillation-weight, plus Zero-DCE's own four losses with their official \
            weights. The teacher is any enhancement model with its bundled weights or --teacher-weights \
            (safetensors, an official checkpoint, or an int8 model from `lumen quantize`); zero-dce-pp \
            teaches at scale 1, the scale it trains at.

            --distillation-weight 0 trains the same student without the teacher: same initialisation, \
            data order and steps, the baseline to compare a distillation with (`lumen eval --methods \
            zero-dce:runs/a/zero-dce.safetensors,zero-dce:runs/b/zero-dce.safetensors`; \
            scripts/bench-distillation.sh makes the table).

            --init starts the student from Zero-DCE weights and takes their widths: distilling a pruned \
            model (`lumen prune`) from the model it was pruned from fine-tunes it towards that model's output.

            The run folder is that of `lumen train` (losses.jsonl with the teacher term, checkpoints, \
            previews, --resume); its zero-dce.safetensors loads in `lumen enhance --model zero-dce --weights`.
            """)

    @Option(help: "The teacher: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var teacher: ModelKind = .zeroDCE

    @Option(help: "The teacher's weights (default: its bundled weights).")
    var teacherWeights: String?

    @Option(help: "The student: zero-dce.")
    var student: ModelKind = .zeroDCE

    @Option(help: "The student's feature channels in each of its six hidden layers (default: 16, or the widths of --init).")
    var studentWidth: Int?

    @Option(help: "Weight of the L1 distance to the teacher's output; 0 trains the student alone.")
    var distillationWeight: Float = DistillationRecipe.defaultDistillationWeight

    @Option(help: "Folder of training photos (any format Lumen reads, any sizes).")
    var data: String

    @Option(help: "Training crops are SIZE x SIZE pixels.")
    var size: Int = 256

    @OptionGroup var training: TrainingRunOptions

    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        guard student == .zeroDCE else { throw ValidationError("the student is zero-dce so far, not \(student)") }
        if let studentWidth {
            guard (1...256).contains(studentWidth) else { throw ValidationError("--student-width must be in 1...256, got \(studentWidth)") }
            guard training.initWeights == nil else { throw ValidationError("--student-width and --init exclude each other: the student takes the widths of --init") }
        }
        guard distillationWeight >= 0, distillationWeight.isFinite else {
            throw ValidationError("--distillation-weight must be a finite number at least 0, got \(distillationWeight)")
        }
        guard (16...TrainingMemory.maximumSize).contains(size) else {
            throw ValidationError("--size must be in 16...\(TrainingMemory.maximumSize), got \(size)")
        }
        // The student is at most as large as the official Zero-DCE; the teacher keeps no activations.
        try TrainingMemory.check(model: .enhancement(.zeroDCE), batchSize: training.batchSize, pixels: size * size,
                                 sizeDescription: "--size \(size)", batchFlag: "--batch-size")
    }

    func run() throws {
        runtime.apply()
        let teacherScale = 1  // Zero-DCE++ teaches at the scale it trains at; an int8 file keeps its own
        let model: any TensorEnhancer = if let teacherWeights {
            try ModelOptions.enhancer(kind: teacher, weights: teacherWeights, expecting: teacher, scale: teacherScale)
        } else {
            try teacher.pretrained(scale: teacherScale)
        }
        let description = teacherWeights.map { "\(teacher.rawValue):\(URL(fileURLWithPath: $0).lastPathComponent)" } ?? teacher.rawValue
        let widths = try studentWidths()
        let recipe = DistillationRecipe(teacher: model, teacherDescription: description, studentWidths: widths,
                                        distillationWeight: distillationWeight, seed: training.seed)
        let options = training.trainingOptions(
            data: .images(URL(fileURLWithPath: data)), runDirectory: training.runDirectory(defaultName: defaultRunName),
            epochs: training.epochs, size: size, defaultLearningRate: TrainableModel.enhancement(.zeroDCE).defaultLearningRate,
            defaultSchedule: .constant)
        try runTraining(recipe, options: options, name: "a zero-dce student of widths \(widths.map(String.init).joined(separator: "/"))")
    }

    /// `runs/distill-TEACHER-w16` (or `-INIT` after the `--init` file's name); `zero-dce-...`
    /// without the teacher.
    private var defaultRunName: String {
        let student = training.initWeights.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
            ?? "w\(studentWidth ?? 16)"
        return distillationWeight > 0 ? "distill-\(teacher.rawValue)-\(student)" : "zero-dce-\(student)"
    }

    /// `--student-width`, else the widths of `--init`, else of the checkpoint a
    /// `--resume` continues, else 16.
    private func studentWidths() throws -> [Int] {
        if let studentWidth { return Array(repeating: studentWidth, count: 6) }
        if let initWeights = training.initWeights { return try ZeroDCE.widths(ofWeightsAt: URL(fileURLWithPath: initWeights)) }
        let checkpoint = TrainingOptions.checkpointURL(in: training.runDirectory(defaultName: defaultRunName))
        if training.resume, FileManager.default.fileExists(atPath: checkpoint.path) { return try ZeroDCE.widths(ofWeightsAt: checkpoint) }
        return Array(repeating: 16, count: 6)
    }
}
