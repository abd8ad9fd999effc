import ArgumentParser
import Dispatch
import Foundation
import Lumen
import LumenTensor
import LumenTraining
import Synchronization

/// `lumen train`: zero-reference training with progress, logs, checkpoints and resume.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train or fine-tune an enhancement model on a folder of photos (no pairs needed).",
        discussion: """
            Writes into the run folder (--out): losses.jsonl (every loss term per step), checkpoint.safetensors \
            (weights, optimiser state and position, written atomically), previews/epoch-NNN.png (preview images \
            above their enhanced versions), loss-curve.png and MODEL.safetensors (the final weights, for \
            `lumen enhance --weights`). Ctrl-C saves a checkpoint and stops; --resume continues exactly.
            """)

    @Argument(help: "The model to train: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var model: ModelKind

    @Option(help: "Folder of training images (PNG/JPEG, any sizes).")
    var data: String

    @Option(help: "Epochs to train (in all, when resuming).")
    var epochs: Int = 1

    @Option(help: "Images per batch.")
    var batchSize: Int = 8

    @Option(help: "Adam learning rate (default: 1e-4 for Zero-DCE and Zero-DCE++, 3e-4 for SCI).")
    var lr: Float?

    @Option(help: "Training crops are SIZE x SIZE pixels.")
    var size: Int = 256

    @Option(help: "Seed of the initialisation, data order and augmentations.")
    var seed: UInt64 = 0

    @Option(help: "Run folder for checkpoints, logs, previews and weights (default: runs/MODEL).")
    var out: String?

    @Flag(help: "Continue the run in --out from its checkpoint.")
    var resume = false

    @Option(name: .customLong("init"), help: "Start from these weights (an official checkpoint or Lumen safetensors) to fine-tune.")
    var initWeights: String?

    @Option(name: .customLong("validate"), help: "Folder of validation images: loss per epoch, and the preview images.")
    var validationFolder: String?

    @Option(help: "Also checkpoint every this many steps.")
    var checkpointEvery: Int = 200

    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        guard size >= 16 else { throw ValidationError("--size must be at least 16") }
        guard checkpointEvery > 0 else { throw ValidationError("--checkpoint-every must be positive") }
        if let lr, !(lr > 0) { throw ValidationError("--lr must be positive") }
        if resume && initWeights != nil { throw ValidationError("--resume and --init exclude each other") }
    }

    func run() throws {
        runtime.apply()
        let options = TrainingOptions(
            data: URL(fileURLWithPath: data), runDirectory: URL(fileURLWithPath: out ?? "runs/\(model.rawValue)"),
            epochs: epochs, batchSize: batchSize, learningRate: lr ?? model.defaultLearningRate, size: size, seed: seed,
            validation: validationFolder.map { URL(fileURLWithPath: $0) }, resume: resume,
            initialWeights: initWeights.map { URL(fileURLWithPath: $0) }, checkpointInterval: checkpointEvery)
        let trainer = Trainer(recipe: model.makeRecipe(seed: seed), options: options) { printError("warning: \($0)") }
        Interrupt.install()
        let bar = TrainingProgressLine()
        let outcome = try trainer.run(progress: bar.update, shouldStop: Interrupt.isRequested)
        switch outcome {
        case .finished(let weights):
            print("trained \(model) for \(epochs) epochs: weights in \(weights.relativePath), run in \(options.runDirectory.relativePath)")
        case let .interrupted(checkpoint, step):
            print("interrupted after step \(step): checkpoint saved in \(checkpoint.relativePath); continue with --resume")
            throw ExitCode(130)
        }
    }
}

extension ModelKind {
    /// The official learning rate of each model's training script.
    var defaultLearningRate: Float { self == .sci ? 3e-4 : 1e-4 }

    func makeRecipe(seed: UInt64) -> any TrainingRecipe {
        switch self {
        case .zeroDCE, .zeroDCEPlusPlus: CurveEstimationRecipe(self, seed: seed)
        case .sci: SCIRecipe(seed: seed)
        }
    }
}

/// Ctrl-C (SIGINT) handling: the first press asks the training loop to
/// checkpoint and stop between steps; a second press ends the process at once.
enum Interrupt {
    private static let requested = Atomic<Bool>(false)
    nonisolated(unsafe) private static var source: (any DispatchSourceSignal)?

    /// Replaces the default SIGINT action (called once, before training starts).
    static func install() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            requested.store(true, ordering: .relaxed)
            printError("\nstopping after this step (Ctrl-C again to abort without a checkpoint)")
            signal(SIGINT, SIG_DFL)
        }
        source.resume()
        self.source = source
    }

    /// Whether Ctrl-C was pressed.
    static func isRequested() -> Bool { requested.load(ordering: .relaxed) }
}
