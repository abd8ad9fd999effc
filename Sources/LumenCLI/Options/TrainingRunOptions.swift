import ArgumentParser
import Foundation
import LumenTraining

/// The options of a training run that do not depend on what is trained, shared by
/// `lumen train` and `lumen distill`: length, batch, optimiser schedule, seed, the
/// run folder and its resume rules, validation and checkpoints.
struct TrainingRunOptions: ParsableArguments {
    @Option(name: .customLong("epochs"), help: "Epochs to train (in all, when resuming; default 1, or the matting stage plan's).")
    var chosenEpochs: Int?

    /// `--epochs`, else 1.
    var epochs: Int { chosenEpochs ?? 1 }

    @Option(help: "Images per batch.")
    var batchSize: Int = 8

    @Option(help: "Adam learning rate (default: 1e-4 for Zero-DCE and Zero-DCE++, 3e-4 for SCI, else 1e-3).")
    var lr: Float?

    @Option(help: "Learning-rate schedule: constant, or cosine (to 1% over the run) (default: constant for zero-dce, zero-dce-pp and sci, else cosine).")
    var schedule: LearningRatePolicy?

    @Option(help: "Seed of the initialisation, data order and augmentations.")
    var seed: UInt64 = 0

    @Option(help: "Run folder for checkpoints, logs, previews and weights (default: runs/MODEL).")
    var out: String?

    @Flag(help: "Continue the run in --out from its checkpoint.")
    var resume = false

    @Flag(help: "Start afresh in an --out folder that holds an earlier run, replacing its checkpoint and logs.")
    var overwrite = false

    @Option(name: .customLong("init"), help: "Start from these weights (an official checkpoint or Lumen safetensors) to fine-tune.")
    var initWeights: String?

    @Option(name: .customLong("validate"), help: "Validation folder, also the previews: photos (loss per epoch), or pairs for gain-unet and parametric (PSNR and SSIM per epoch).")
    var validationFolder: String?

    @Option(help: "Validate after every this many epochs (and after the last).")
    var validateEvery: Int = 1

    @Option(help: "Also checkpoint every this many steps.")
    var checkpointEvery: Int = 200

    @Option(help: ArgumentHelp(
        "Arithmetic of the steps: fp32, or bf16 mixed precision.",
        discussion: "bf16 stores activations as bfloat16 and multiplies bfloat16 operands in convolutions, with float32 sums, "
            + "float32 weights and optimiser, and dynamic loss scaling (a step whose gradients overflow is skipped and the "
            + "scale halved). Validation, previews and the saved weights are float32."))
    var precision: TrainingPrecision = .float32

    func validate() throws {
        guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        guard epochs <= 1_000_000, batchSize <= 4096 else {
            throw ValidationError("--epochs is at most 1000000 and --batch-size at most 4096")
        }
        guard checkpointEvery > 0 else { throw ValidationError("--checkpoint-every must be positive") }
        guard validateEvery > 0 else { throw ValidationError("--validate-every must be positive") }
        if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive finite number, got \(lr)") }
        if resume && initWeights != nil { throw ValidationError("--resume and --init exclude each other") }
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
    }

    /// The run folder: `--out`, else `runs/NAME`.
    func runDirectory(defaultName: String) -> URL { URL(fileURLWithPath: out ?? "runs/\(defaultName)") }

    /// The trainer's settings for these options.
    func trainingOptions(data: TrainingDataSource, runDirectory: URL, epochs: Int, size: Int,
                         defaultLearningRate: Float, defaultSchedule: LearningRatePolicy) -> TrainingOptions {
        var options = TrainingOptions(
            data: data, runDirectory: runDirectory,
            epochs: epochs, batchSize: batchSize, learningRate: lr ?? defaultLearningRate, size: size, seed: seed,
            validation: validationFolder.map { URL(fileURLWithPath: $0) }, validationInterval: validateEvery,
            schedule: schedule ?? defaultSchedule, resume: resume, overwrite: overwrite,
            initialWeights: initWeights.map { URL(fileURLWithPath: $0) }, checkpointInterval: checkpointEvery)
        options.precision = precision
        return options
    }
}

/// Runs `recipe` with `options`, showing progress, and reports the outcome: the
/// weights, or where the checkpoint of an interrupted run is (exiting with the
/// signal's status). Ctrl-C and SIGTERM stop between steps with a checkpoint.
/// - Parameter name: what was trained, for the closing line (`zero-dce`).
func runTraining(_ recipe: any TrainingRecipe, options: TrainingOptions, name: String) throws {
    let trainer = Trainer(recipe: recipe, options: options) { printError("warning: \($0)") }
    Interrupt.install()
    let bar = TrainingProgressLine()
    var checking: ProgressBar?  // one bar per pairs folder: training, then validation
    let outcome = try trainer.run(preparing: { done, total in
        let bar = checking ?? ProgressBar(total: total, unit: "pairs checked")
        bar.update(done: done)
        checking = done < total ? bar : nil
    }, progress: bar.update, epochFinished: bar.epochFinished, shouldStop: Interrupt.isRequested)
    switch outcome {
    case .finished(let weights):
        print("trained \(name) for \(options.epochs) epochs: weights in \(weights.relativePath), run in \(options.runDirectory.relativePath)")
    case let .interrupted(checkpoint, step):
        print("interrupted after step \(step): checkpoint saved in \(checkpoint.relativePath); continue with --resume")
        throw ExitCode(Interrupt.exitStatus)
    }
}
