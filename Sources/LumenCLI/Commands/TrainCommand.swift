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
        abstract: "Train or fine-tune an enhancement, restoration or GAN model.",
        discussion: """
            zero-dce, zero-dce-pp and sci learn from photos alone (--data). gain-unet and parametric learn \
            from pairs: --pairs DIR (low/ and high/ with matching names, as `lumen synth` writes) or \
            --synthesize DIR (normally exposed photos, darkened afresh every time they are used, with EVs \
            spread over --ev-min...--ev-max within each batch). Pair batches also mix exposures: each \
            batch takes one pair from each exposure band.

            espcn, dncnn and denoise-ae learn from clean images (--data): espcn from crops and their MATLAB-bicubic \
            reductions by --scale (on OpenCV's 8-bit luma: Lumen's ESPCN is the Y-only form), the denoisers from crops \
            and the same crops with Gaussian noise of --sigma (one level, or a range LOW-HIGH drawn per crop, for a \
            blind denoiser). Lumen's dncnn is 10 convolutions of 32 features; --init fine-tunes any DnCNN's weights. \
            Score the result with `lumen eval --task sr|denoise`.

            Writes into the run folder (--out): losses.jsonl (every loss term per step), checkpoint.safetensors \
            (weights, optimiser state and position, written atomically), previews/epoch-NNN.png (inputs above \
            their enhanced versions, and the targets for pairs), loss-curve.png, validation-curve.png (PSNR per \
            epoch, supervised with --validate) and MODEL.safetensors (the final weights, for \
            `lumen enhance --weights`). Ctrl-C or SIGTERM saves a checkpoint and stops; --resume continues exactly. \
            A fresh run into a folder that holds an earlier one needs --overwrite; two runs cannot share a folder.
            """)

    @Argument(help: "The model to train: \(TrainableModel.allNames.joined(separator: ", ")).")
    var model: TrainableModel

    @Option(help: "Folder of training photos (any format Lumen reads, any sizes), for zero-reference and restoration models; the dark photos of cyclegan and enlighten-gan.")
    var data: String?

    @Option(help: "Folder of training pairs, low/ and high/, for gain-unet, parametric and gan-paired.")
    var pairs: String?

    @Option(help: "Folder of normally exposed photos to darken on the fly, for gain-unet, parametric and gan-paired.")
    var synthesize: String?

    @OptionGroup var exposure: ExposureRangeOptions

    @OptionGroup var gan: GANTrainingOptions

    @OptionGroup var matting: MattingTrainingOptions

    @Option(help: "espcn: the upscaling factor, 2, 3 or 4 (default: 3).")
    var scale: Int?

    @Option(help: "dncnn and denoise-ae: the noise level in 8-bit levels, or a range LOW-HIGH (default: 25).")
    var sigma: NoiseLevel?

    @Option(help: "Restoration models: random crops of each image per epoch.")
    var cropsPerImage: Int = 16

    @OptionGroup var training: TrainingRunOptions

    @Option(name: .customLong("size"), help: "Training crops are SIZE x SIZE pixels (default: 256; espcn 17 x scale, dncnn 40, denoise-ae 48).")
    var chosenSize: Int?

    @OptionGroup var runtime: RuntimeOptions

    /// The crop side: `--size`, else the model's usual one.
    var size: Int {
        if let last = gan.progressive?.sizes.last { return last }
        if let chosenSize { return chosenSize }
        switch model {
        case .enhancement: return 256
        case .gan: return 128
        case .restoration(.espcn): return 17 * (scale ?? 3)
        case .restoration(.dncnn): return 40
        case .restoration(.denoiseAE): return 48
        case .matting: return 256
        }
    }

    func validate() throws {
        guard (16...TrainingMemory.maximumSize).contains(size) else {
            throw ValidationError("--size must be in 16...\(TrainingMemory.maximumSize), got \(size)")
        }
        try TrainingMemory.check(model: model, batchSize: training.batchSize, pixels: size * size,
                                 sizeDescription: "--size \(size)", batchFlag: "--batch-size")
        let given = [("--data", data), ("--pairs", pairs), ("--synthesize", synthesize), ("--mattes", matting.mattes)]
            .filter { $0.1 != nil }.map(\.0)
        guard given.count == 1 else {
            throw ValidationError(given.isEmpty ? "give the training data: --data, --pairs, --synthesize or --mattes"
                                                : "\(given.joined(separator: " and ")) exclude each other")
        }
        if case .matting = model {} else if matting.anyGiven {
            throw ValidationError("--mattes, --front-end, --stages and --edge-weight are for matting-unet")
        }
        if case .gan = model {} else if gan.anyGiven {
            throw ValidationError("--normal, --adversarial-loss, --d-steps, --d-lr-ratio and --adversarial-weight are for the GANs")
        }
        if gan.progressive != nil && chosenSize != nil { throw ValidationError("--progressive and --size exclude each other") }
        if let every = gan.previewEvery, every <= 0 { throw ValidationError("--preview-every must be positive") }
        switch model {
        case .matting:
            guard matting.mattes != nil else {
                throw ValidationError("matting-unet learns from a matting folder: give --mattes DIR (image/ and alpha/, as `lumen synth-matting` writes)")
            }
            guard training.validationFolder == nil else {
                throw ValidationError("matting-unet is scored by the matting metrics: run `lumen eval --task matting` on its weights instead of --validate")
            }
            if training.chosenEpochs != nil && matting.stages != "none" {
                throw ValidationError("the stage plan sets the epochs: drop --epochs, or give --stages none for one stage of --epochs")
            }
            if gan.anyGiven || scale != nil || sigma != nil { throw ValidationError("matting-unet takes none of the GAN or restoration options") }
        case .gan(let kind):
            try gan.validate(kind: kind, sizes: gan.progressive?.sizes ?? [size])
            if training.precision == .bfloat16 && gan.adversarialLoss == .wganGP {
                // The penalty differentiates the critic's input gradient, through weights bf16 rounds straight-through.
                throw ValidationError("--precision bf16 cannot train with --adversarial-loss wgan-gp, whose gradient penalty needs second derivatives")
            }
            if scale != nil || sigma != nil { throw ValidationError("--scale and --sigma are for espcn, dncnn and denoise-ae") }
            if kind.isUnpaired {
                guard data != nil, gan.normal != nil else {
                    throw ValidationError("\(kind.rawValue) learns from two unpaired folders: give --data DIR of dark photos and --normal DIR of normally exposed ones")
                }
                if training.validationFolder != nil { throw ValidationError("\(kind.rawValue) has no references to validate against: use `lumen eval` on its weights") }
            } else {
                if data != nil { throw ValidationError("gan-paired learns from pairs: give --pairs DIR, or --synthesize DIR with normally exposed photos") }
                if gan.normal != nil { throw ValidationError("--normal is for cyclegan and enlighten-gan") }
            }
        case .enhancement(let kind):
            if kind.isSupervised && data != nil {
                throw ValidationError("\(kind) learns from pairs: give --pairs DIR, or --synthesize DIR with normally exposed photos")
            }
            if !kind.isSupervised && data == nil {
                throw ValidationError("\(kind) learns from photos alone: give --data DIR")
            }
            if scale != nil || sigma != nil { throw ValidationError("--scale and --sigma are for espcn, dncnn and denoise-ae") }
        case .restoration(let kind):
            guard data != nil else { throw ValidationError("\(kind) learns from clean images: give --data DIR") }
            guard training.validationFolder == nil else {
                throw ValidationError("\(kind) is scored by the restoration protocols: run `lumen eval --task` on its weights instead of --validate")
            }
            guard (1...1000).contains(cropsPerImage) else { throw ValidationError("--crops-per-image must be in 1...1000, got \(cropsPerImage)") }
            if kind == .espcn {
                guard sigma == nil else { throw ValidationError("--sigma is for the denoisers; espcn takes --scale") }
                let scale = scale ?? 3
                guard (2...8).contains(scale) else { throw ValidationError("--scale must be in 2...8, got \(scale)") }
                guard size % scale == 0 else { throw ValidationError("--size \(size) must be a multiple of --scale \(scale)") }
            } else {
                guard scale == nil else { throw ValidationError("--scale is for espcn; \(kind) keeps the size (give --sigma)") }
                if kind == .denoiseAE && size % 4 != 0 { throw ValidationError("denoise-ae crops must be a multiple of 4, got --size \(size)") }
            }
        }
    }

    /// Zero-DCE trains at the widths of the weights it starts from, `--init` or the
    /// checkpoint `--resume` continues, so that a pruned model (`lumen prune`) fine-tunes
    /// as it is; `nil` (the official widths) for a fresh run and for other models.
    private func zeroDCEWidths(runDirectory: URL) throws -> [Int]? {
        guard case .enhancement(.zeroDCE) = model else { return nil }
        if let initWeights = training.initWeights { return try ZeroDCE.widths(ofWeightsAt: URL(fileURLWithPath: initWeights)) }
        let checkpoint = TrainingOptions.checkpointURL(in: runDirectory)
        guard training.resume, FileManager.default.fileExists(atPath: checkpoint.path) else { return nil }
        return try ZeroDCE.widths(ofWeightsAt: checkpoint)
    }

    /// The training data the options name.
    private func dataSource(for recipe: any TrainingRecipe) -> TrainingDataSource {
        if let restoration = recipe as? RestorationRecipe {
            let degradation: RestorationDegradation = restoration.kind == .espcn
                ? .downscale(scale: restoration.model.scaleFactor) : .gaussianNoise(sigma: (sigma ?? NoiseLevel(25)).range)
            return .restoration(URL(fileURLWithPath: data!), degradation: degradation, colorModel: restoration.model.colorModel,
                                cropsPerImage: cropsPerImage)
        }
        if let mattes = matting.mattes { return .matting(URL(fileURLWithPath: mattes)) }
        if let normal = gan.normal { return .unpaired(dark: URL(fileURLWithPath: data!), normal: URL(fileURLWithPath: normal)) }
        if let pairs { return .pairs(URL(fileURLWithPath: pairs)) }
        if let synthesize { return .synthesized(from: URL(fileURLWithPath: synthesize), degradation: exposure.degradation) }
        return .images(URL(fileURLWithPath: data!))
    }

    func run() throws {
        runtime.apply()
        let learningRate = training.lr ?? model.defaultLearningRate
        let settings = try matting.settings(epochs: training.epochs, learningRate: learningRate)
        let runDirectory = training.runDirectory(defaultName: model.runName(scale: scale ?? 3))
        let recipe = try model.makeRecipe(scale: scale ?? 3, seed: training.seed, adversarial: gan.adversarial,
                                          perceptual: try gan.perceptualFeatures(), matting: settings,
                                          zeroDCEWidths: try zeroDCEWidths(runDirectory: runDirectory))
        var options = training.trainingOptions(data: dataSource(for: recipe), runDirectory: runDirectory,
                                          epochs: (recipe as? MattingRecipe)?.plan.epochs ?? training.epochs, size: size,
                                          defaultLearningRate: model.defaultLearningRate, defaultSchedule: model.defaultSchedule)
        options.progressiveSizes = gan.progressive?.sizes ?? []
        options.previewInterval = gan.previewEvery
        try runTraining(recipe, options: options, name: model.description)
    }
}

/// A model `lumen train` can train: an enhancement or a restoration model.
enum TrainableModel: ExpressibleByArgument, CustomStringConvertible {
    case enhancement(ModelKind)
    case restoration(RestorationModelKind)
    case gan(GANModelKind)
    /// The matting U-Net (``MattingRecipe``).
    case matting

    /// A GAN name comes first: `enlighten-gan` is also the enhancement model it trains.
    init?(argument: String) {
        if argument == MattingUNet.modelName { self = .matting }
        else if let kind = GANModelKind(rawValue: argument) { self = .gan(kind) }
        else if let kind = ModelKind(rawValue: argument) { self = .enhancement(kind) }
        else if let kind = RestorationModelKind(rawValue: argument) { self = .restoration(kind) }
        else { return nil }
    }

    static var allNames: [String] {
        let names = ModelKind.allCases.map(\.rawValue) + RestorationModelKind.allCases.map(\.rawValue)
        return names + GANModelKind.allCases.map(\.rawValue).filter { !names.contains($0) } + [MattingUNet.modelName]
    }
    static var allValueStrings: [String] { allNames }

    var description: String {
        switch self {
        case .enhancement(let kind): kind.rawValue
        case .restoration(let kind): kind.rawValue
        case .gan(let kind): kind.rawValue
        case .matting: MattingUNet.modelName
        }
    }

    /// The default run folder's name: the model, with ESPCN's scale (`espcn-x3`).
    func runName(scale: Int) -> String {
        if case .restoration(.espcn) = self { "espcn-x\(scale)" } else { description }
    }

    /// The official learning rate of each zero-reference model's training script;
    /// Lumen's choice, with the cosine schedule, for the others.
    var defaultLearningRate: Float {
        switch self {
        case .enhancement(.zeroDCE), .enhancement(.zeroDCEPlusPlus): 1e-4
        case .enhancement(.sci): 3e-4
        case .enhancement(.gainUNet), .enhancement(.parametric), .restoration: 1e-3
        case .gan, .enhancement(.enlightenGAN), .enhancement(.ganPaired): 2e-4
        case .matting: 1e-4
        }
    }

    /// Constant for the zero-reference recipes (as published), cosine for the others.
    var defaultSchedule: LearningRatePolicy {
        switch self {
        case .enhancement(let kind): kind.isSupervised ? .cosine : .constant
        case .restoration: .cosine
        case .gan, .matting: .constant
        }
    }

    /// - Parameter matting: matting-unet's front end, stage plan and loss.
    func makeRecipe(scale: Int, seed: UInt64, adversarial: AdversarialOptions = AdversarialOptions(),
                    perceptual: VGG19Features? = nil,
                    matting: MattingRecipe.Settings = MattingRecipe.Settings(),
                    zeroDCEWidths: [Int]? = nil) throws -> any TrainingRecipe {
        switch self {
        case .enhancement(let kind):
            switch kind {
            case .zeroDCE, .zeroDCEPlusPlus: CurveEstimationRecipe(kind, seed: seed, widths: zeroDCEWidths)
            case .sci: SCIRecipe(seed: seed)
            case .gainUNet, .parametric: SupervisedRecipe(kind, seed: seed)
            case .enlightenGAN: GANModelKind.enlightenGAN.makeRecipe(seed: seed, adversarial: adversarial, perceptual: perceptual)
            case .ganPaired: GANModelKind.paired.makeRecipe(seed: seed, adversarial: adversarial, perceptual: perceptual)
            }
        case .restoration(let kind): RestorationRecipe(kind, scale: scale, seed: seed)
        case .gan(let kind): kind.makeRecipe(seed: seed, adversarial: adversarial, perceptual: perceptual)
        case .matting: try MattingRecipe(matting, seed: seed)
        }
    }
}

/// `--sigma`: one noise level, or a range `LOW-HIGH` for blind denoising, in 8-bit levels.
struct NoiseLevel: ExpressibleByArgument {
    let range: ClosedRange<Double>

    init(_ sigma: Double) { range = sigma...sigma }

    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false).map { Double($0) }
        guard (1...2).contains(parts.count), let low = parts.first!, let high = parts.last!, low >= 0, high <= 255, low <= high,
              low.isFinite, high.isFinite else { return nil }
        range = low...high
    }
}

extension LearningRatePolicy: ExpressibleByArgument {}
extension TrainingPrecision: ExpressibleByArgument {}

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
