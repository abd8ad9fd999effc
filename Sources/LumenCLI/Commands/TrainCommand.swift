import ArgumentParser
import Dispatch
import Foundation
import Lumen
import LumenTensor
import LumenTraining
import Synchronization

/// `lumen train`: zero-reference or supervised training with progress, logs,
/// checkpoints, validation and resume.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train or fine-tune an enhancement model.",
        discussion: """
            zero-dce, zero-dce-pp and sci learn from photos alone (--data). gain-unet and parametric learn \
            from pairs: --pairs DIR (low/ and high/ with matching names, as `lumen synth` writes) or \
            --synthesize DIR (normally exposed photos, darkened afresh every time they are used, with EVs \
            spread over --ev-min...--ev-max within each batch). Pair batches also mix exposures: each \
            batch takes one pair from each exposure band.

            Writes into the run folder (--out): losses.jsonl (every loss term per step), checkpoint.safetensors \
            (weights, optimiser state and position, written atomically), previews/epoch-NNN.png (inputs above \
            their enhanced versions, and the targets for pairs), loss-curve.png, validation-curve.png (PSNR per \
            epoch, supervised with --validate) and MODEL.safetensors (the final weights, for \
            `lumen enhance --weights`). Ctrl-C or SIGTERM saves a checkpoint and stops; --resume continues exactly. \
            A fresh run into a folder that holds an earlier one needs --overwrite; two runs cannot share a folder.
            """)

    @Argument(help: "The model to train: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var model: ModelKind

    @Option(help: "Folder of training photos (any format Lumen reads, any sizes), for zero-reference models.")
    var data: String?

    @Option(help: "Folder of training pairs, low/ and high/, for gain-unet and parametric.")
    var pairs: String?

    @Option(help: "Folder of normally exposed photos to darken on the fly, for gain-unet and parametric.")
    var synthesize: String?

    @OptionGroup var exposure: ExposureRangeOptions

    @Option(help: "Epochs to train (in all, when resuming).")
    var epochs: Int = 1

    @Option(help: "Images per batch.")
    var batchSize: Int = 8

    @Option(help: "Adam learning rate (default: 1e-4 for Zero-DCE and Zero-DCE++, 3e-4 for SCI, 1e-3 for gain-unet and parametric).")
    var lr: Float?

    @Option(help: "Learning-rate schedule: constant, or cosine (to 1% over the run) (default: cosine for gain-unet and parametric, else constant).")
    var schedule: LearningRatePolicy?

    @Option(help: "Training crops are SIZE x SIZE pixels.")
    var size: Int = 256

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

    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        guard (16...TrainingMemory.maximumSize).contains(size) else {
            throw ValidationError("--size must be in 16...\(TrainingMemory.maximumSize), got \(size)")
        }
        guard epochs <= 1_000_000, batchSize <= 4096 else {
            throw ValidationError("--epochs is at most 1000000 and --batch-size at most 4096")
        }
        guard checkpointEvery > 0 else { throw ValidationError("--checkpoint-every must be positive") }
        guard validateEvery > 0 else { throw ValidationError("--validate-every must be positive") }
        if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive finite number, got \(lr)") }
        if resume && initWeights != nil { throw ValidationError("--resume and --init exclude each other") }
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
        try TrainingMemory.check(model: model, batchSize: batchSize, pixels: size * size,
                                 sizeDescription: "--size \(size)", batchFlag: "--batch-size")
        let given = [("--data", data), ("--pairs", pairs), ("--synthesize", synthesize)].filter { $0.1 != nil }.map(\.0)
        guard given.count == 1 else {
            throw ValidationError(given.isEmpty ? "give the training data: --data, --pairs or --synthesize"
                                                : "\(given.joined(separator: " and ")) exclude each other")
        }
        if model.isSupervised && data != nil {
            throw ValidationError("\(model) learns from pairs: give --pairs DIR, or --synthesize DIR with normally exposed photos")
        }
        if !model.isSupervised && data == nil {
            throw ValidationError("\(model) learns from photos alone: give --data DIR")
        }
    }

    /// The training data the options name.
    private var dataSource: TrainingDataSource {
        if let pairs { return .pairs(URL(fileURLWithPath: pairs)) }
        if let synthesize { return .synthesized(from: URL(fileURLWithPath: synthesize), degradation: exposure.degradation) }
        return .images(URL(fileURLWithPath: data!))
    }

    func run() throws {
        runtime.apply()
        let options = TrainingOptions(
            data: dataSource, runDirectory: URL(fileURLWithPath: out ?? "runs/\(model.rawValue)"),
            epochs: epochs, batchSize: batchSize, learningRate: lr ?? model.defaultLearningRate, size: size, seed: seed,
            validation: validationFolder.map { URL(fileURLWithPath: $0) }, validationInterval: validateEvery,
            schedule: schedule ?? (model.isSupervised ? .cosine : .constant), resume: resume, overwrite: overwrite,
            initialWeights: initWeights.map { URL(fileURLWithPath: $0) }, checkpointInterval: checkpointEvery)
        let trainer = Trainer(recipe: model.makeRecipe(seed: seed), options: options) { printError("warning: \($0)") }
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
            print("trained \(model) for \(epochs) epochs: weights in \(weights.relativePath), run in \(options.runDirectory.relativePath)")
        case let .interrupted(checkpoint, step):
            print("interrupted after step \(step): checkpoint saved in \(checkpoint.relativePath); continue with --resume")
            throw ExitCode(Interrupt.exitStatus)
        }
    }
}

extension ModelKind {
    /// The official learning rate of each zero-reference model's training script;
    /// Lumen's choice, with the cosine schedule, for the supervised ones.
    var defaultLearningRate: Float {
        switch self {
        case .zeroDCE, .zeroDCEPlusPlus: 1e-4
        case .sci: 3e-4
        case .gainUNet, .parametric: 1e-3
        }
    }

    func makeRecipe(seed: UInt64) -> any TrainingRecipe {
        switch self {
        case .zeroDCE, .zeroDCEPlusPlus: CurveEstimationRecipe(self, seed: seed)
        case .sci: SCIRecipe(seed: seed)
        case .gainUNet, .parametric: SupervisedRecipe(self, seed: seed)
        }
    }
}

extension LearningRatePolicy: ExpressibleByArgument {}

/// Ctrl-C (SIGINT) and SIGTERM handling: the first signal asks the training loop
/// to checkpoint and stop between steps; a second ends the process at once.
///
/// SIGTERM is what `docker stop`, systemd, Kubernetes and `timeout` send before
/// they kill, so it gets the same checkpoint as Ctrl-C rather than losing the
/// steps since the last one.
enum Interrupt {
    /// The signal that asked to stop, 0 until one does.
    private static let received = Atomic<Int32>(0)
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Replaces the default SIGINT and SIGTERM actions (called once, before training starts).
    static func install() {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                received.store(number, ordering: .relaxed)
                let name = number == SIGINT ? "Ctrl-C" : "SIGTERM"
                printError("\nstopping after this step (\(name) again to abort without a checkpoint)")
                signal(number, SIG_DFL)
            }
            source.resume()
            return source
        }
    }

    /// Whether a stop was asked for.
    static func isRequested() -> Bool { received.load(ordering: .relaxed) != 0 }

    /// The exit status of a run stopped by a signal: 128 + its number, as shells report it.
    static var exitStatus: Int32 { 128 + received.load(ordering: .relaxed) }
}
