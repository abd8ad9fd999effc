import ArgumentParser
import Foundation
import Lumen
import LumenEvaluation
import LumenImaging

/// `lumen eval`: runs learned models and classical methods on a folder of images and
/// scores them with image-quality metrics, writing tables, charts, an HTML page and
/// the enhanced images.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare models and classical methods on a folder of images with quality metrics.",
        discussion: """
            Methods are model names (with Lumen's bundled weights, or MODEL:WEIGHTS for a \
            safetensors or PyTorch file) and classical methods: \(EnhancementMethod.allNames.joined(separator: ", ")). \
            Metrics: \(ImageMetric.allCases.map(\.rawValue).joined(separator: ", ")). With --reference, images \
            are paired by file name and the full-reference metrics (PSNR, SSIM, MS-SSIM) apply. \
            An unknown method or metric name, an unreadable image, a missing or mismatched reference are \
            reported; everything else is still evaluated, the report is written, and the exit status is 1.

            --task sr --scale S and --task denoise --sigma N run the restoration protocols on a folder of \
            clean images (Set5, Set14; BSD68, Set12, CBSD68): SR scores Y-PSNR and Y-SSIM with S pixels shaved \
            against the HR images (LR by MATLAB-style bicubic), denoising PSNR and SSIM of the 8-bit output \
            with NumPy's seed-0 noise. Methods are then bicubic (SR) and restoration models, MODEL or \
            MODEL:WEIGHTS: \(RestorationModelKind.allCases.map(\.rawValue).joined(separator: ", ")).

            --task matting scores alpha mattes: --data holds the photos, --reference their ground-truth \
            alphas (gray, same names), --trimaps optionally their trimaps (0, 128, 255). Methods are \
            \(MattingUNet.modelName) and \(Eval.bundledLowLightMatting) (the bundled plain and low-light models, the \
            default) and \(MattingUNet.modelName):WEIGHTS, each run as trained (with its front end, if it has \
            one), whatever the photo's light. SAD, MSE, Grad, \
            Conn and MAD follow Deep Image Matting's evaluation code, over the whole image and, with \
            trimaps, over their unknown region; the report shows every alpha beside its photo.
            """)

    @Option(help: "What to evaluate: enhance (default), sr, denoise or matting.")
    var task: EvaluationTask = .enhance

    @Option(help: "--task sr: the enlargement (default: 3).")
    var scale: Int?

    @Option(help: "--task denoise: the noise level in 8-bit levels (default: 25).")
    var sigma: Double?

    @Option(help: "Folder of input images (PNG, JPEG).")
    var data: String

    @Option(help: "Folder of ground-truth images, matched to the inputs by file name (alphas for --task matting).")
    var reference: String?

    @Option(help: "--task matting: folder of trimaps, matched to the alphas by file name.")
    var trimaps: String?

    @Option(help: "Comma-separated methods (default: every model with bundled weights, then every classical method).")
    var methods: String?

    @Option(help: "Comma-separated metrics (default: every metric the data allows).")
    var metrics: String?

    @Option(help: "Report folder: tables, charts, report.html and the enhanced images.")
    var out: String = "eval-report"

    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        if trimaps != nil && task != .matting { throw ValidationError("--trimaps is for --task matting") }
        if task == .matting {
            guard reference != nil else { throw ValidationError("--task matting scores against ground-truth alphas: give --reference DIR") }
            guard scale == nil, sigma == nil, metrics == nil else {
                throw ValidationError("--task matting computes SAD, MSE, Grad, Conn and MAD: drop --scale, --sigma and --metrics")
            }
            return
        }
        if task == .enhance {
            guard scale == nil, sigma == nil else { throw ValidationError("--scale and --sigma are for --task sr and --task denoise") }
            return
        }
        guard reference == nil, metrics == nil else {
            throw ValidationError("--task \(task.rawValue) scores against the clean images of --data: drop --reference and --metrics")
        }
        if task == .sr {
            guard sigma == nil else { throw ValidationError("--sigma is for --task denoise") }
            if let scale, !(2...8).contains(scale) { throw ValidationError("--scale must be in 2...8, got \(scale)") }
        } else {
            guard scale == nil else { throw ValidationError("--scale is for --task sr") }
            if let sigma, !(sigma >= 0 && sigma <= 255) { throw ValidationError("--sigma must be in 0...255, got \(sigma)") }
        }
    }

    func run() throws {
        runtime.apply()
        if task == .matting { return try runMatting() }
        if task != .enhance { return try runRestoration() }
        var failed = false
        let parsedMethods = parsedList(methods, default: defaultMethods) { text throws -> EnhancementMethod in
            try EnhancementMethod(parsing: text)
        } failed: { failed = true }
        let parsedMetrics = parsedList(metrics, default: defaultMetrics) { text throws -> ImageMetric in
            guard let metric = ImageMetric(rawValue: text) else {
                throw LumenCLIError.unknownMetric(text)
            }
            return metric
        } failed: { failed = true }
        let labels = try Self.labels(parsedMethods.map(\.description))
        var evaluated: [EvaluatedMethod] = []
        for method in parsedMethods {
            do { evaluated.append(EvaluatedMethod(label: labels[method.description], enhancer: try Self.enhancer(for: method))) } catch {
                printError("\(method): \(describe(error))")
                failed = true
            }
        }
        guard !evaluated.isEmpty else { throw ValidationError("no method to evaluate") }
        guard !parsedMetrics.isEmpty else { throw ValidationError("no metric to compute") }
        if reference == nil, let needy = parsedMetrics.first(where: { $0.requirement == .reference }) {
            throw ValidationError("\(needy.rawValue) compares with ground truth: give --reference DIR, or leave it out of --metrics")
        }

        let set = try EvaluationSet(data: URL(fileURLWithPath: data), reference: reference.map(URL.init(fileURLWithPath:)))
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let progress = ProgressBar(total: set.samples.count * evaluated.count, unit: "results")
        let results = Evaluation(methods: evaluated, metrics: parsedMetrics)
            .run(set, imagesFolder: folder.appendingPathComponent("images")) { done, _, name in
                progress.update(done: done, detail: name)
            }
        try EvaluationReport.write(results, to: folder)
        print(SummaryTable(results).terminalText, terminator: "")
        for problem in results.allProblems { printError(problem) }
        print("report: \(folder.appendingPathComponent("report.html").relativePath)")
        if failed || !results.allProblems.isEmpty {
            throw ExitCode(1)
        }
    }

    /// `--task sr` or `--task denoise`: the restoration protocols.
    private func runRestoration() throws {
        let protocolTask: RestorationEvaluation.Task = task == .sr ? .superResolution(scale: scale ?? 3) : .denoising(sigma: sigma ?? 25)
        var failed = false
        let defaults = task == .sr ? "bicubic,espcn" : "dncnn"
        let evaluated = try madeMethods(methods ?? defaults, failed: &failed) { try restorer(named: $0, label: $1, for: protocolTask) }
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var progress: ProgressBar?
        let results = try RestorationEvaluation(task: protocolTask, methods: evaluated)
            .run(URL(fileURLWithPath: data), imagesFolder: folder.appendingPathComponent("images")) { done, total, name in
                let bar = progress ?? ProgressBar(total: total, unit: "results")
                progress = bar
                bar.update(done: done, detail: name)
            }
        try EvaluationReport.write(results, to: folder)
        print(SummaryTable(results).terminalText, terminator: "")
        for problem in results.allProblems { printError(problem) }
        print("report: \(folder.appendingPathComponent("report.html").relativePath)")
        if failed || !results.allProblems.isEmpty { throw ExitCode(1) }
    }

    /// The method name of the bundled matting model with a low-light front end.
    static let bundledLowLightMatting = "\(MattingUNet.modelName)-low-light"

    /// `--task matting`: each matting model on the photos, scored against the alphas.
    private func runMatting() throws {
        var failed = false
        let names = methods ?? "\(MattingUNet.modelName),\(Self.bundledLowLightMatting)"
        let evaluated = try madeMethods(names, failed: &failed) { text, label in
            switch text {
            case MattingUNet.modelName:
                return EvaluatedMatter(label: label, model: try MattingUNet.pretrained(frontEnd: .none))
            case Self.bundledLowLightMatting:
                return EvaluatedMatter(label: label, model: try MattingUNet.pretrained(frontEnd: .zeroDCEPlusPlus))
            default:
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, parts[0] == MattingUNet.modelName else {
                    throw ValidationError("a matting method is \(MattingUNet.modelName), \(Self.bundledLowLightMatting) "
                                          + "or \(MattingUNet.modelName):WEIGHTS")
                }
                let url = URL(fileURLWithPath: parts[1])
                return EvaluatedMatter(label: label, model: try MattingUNet.load(from: url))
            }
        }
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var progress: ProgressBar?
        let results = try MattingEvaluation(methods: evaluated)
            .run(images: URL(fileURLWithPath: data), alphas: URL(fileURLWithPath: reference!),
                 trimaps: trimaps.map(URL.init(fileURLWithPath:)), imagesFolder: folder.appendingPathComponent("images")) { done, total, name in
                let bar = progress ?? ProgressBar(total: total, unit: "results")
                progress = bar
                bar.update(done: done, detail: name)
            }
        try results.write(to: folder)
        print(results.markdown, terminator: "")
        for problem in results.problems { printError(problem) }
        print("report: \(folder.appendingPathComponent("report.html").relativePath)")
        if failed || !results.problems.isEmpty { throw ExitCode(1) }
    }

    /// The comma-separated methods of `text`, each made by `make`; one that cannot be
    /// made is reported by name and marks the run `failed`.
    /// - Throws: when none can be made.
    private func madeMethods<Method>(_ text: String, failed: inout Bool,
                                     _ make: (_ text: String, _ label: String) throws -> Method) throws -> [Method] {
        var made: [Method] = []
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let labels = try Self.labels(items)
        for item in items {
            do { made.append(try make(item, labels[item])) } catch {
                printError("\(item): \(describe(error))")
                failed = true
            }
        }
        guard !made.isEmpty else { throw ValidationError("no method to evaluate") }
        return made
    }

    /// Table labels for the methods' texts; the same method given twice is refused,
    /// since its rows and images would merge.
    private static func labels(_ methods: [String]) throws -> MethodLabels {
        let labels = MethodLabels(methods)
        if let repeated = labels.repeated { throw ValidationError("\(repeated) is given twice in --methods") }
        return labels
    }

    /// `bicubic`, `MODEL` (bundled weights for the protocol's scale or σ) or `MODEL:WEIGHTS`.
    private func restorer(named text: String, label: String, for protocolTask: RestorationEvaluation.Task) throws -> EvaluatedRestorer {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let (setting, wanted): (Int, RestorationTask) = switch protocolTask {
        case .superResolution(let scale): (scale, .superResolution)
        case .denoising(let sigma): (Int(sigma.rounded()), .denoising)
        }
        if parts[0] == "bicubic" {
            guard case .superResolution(let scale) = protocolTask, parts.count == 1 else {
                throw ValidationError("bicubic is the SR baseline and takes no weights")
            }
            return EvaluatedRestorer(label: "bicubic", restorer: BicubicUpscaler(scale: scale))
        }
        guard let kind = RestorationModelKind(rawValue: parts[0]) else {
            throw ValidationError("unknown method; the restoration methods are bicubic, "
                                  + RestorationModelKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard kind.task == wanted else { throw ValidationError("\(kind) is not a \(wanted == .superResolution ? "super-resolution" : "denoising") model") }
        let scale: Int? = if case .superResolution(let scale) = protocolTask { scale } else { nil }
        let model = parts.count == 2 ? try kind.load(weights: URL(fileURLWithPath: parts[1]), scale: scale) : try kind.pretrained(setting)
        return EvaluatedRestorer(label: label, restorer: model)
    }

    /// The method's enhancer; a model's weights may be an int8 file (`lumen quantize`).
    private static func enhancer(for method: EnhancementMethod) throws -> any TensorEnhancer {
        guard case let .model(kind, weights?) = method else { return try method.makeEnhancer() }
        return try ModelOptions.enhancer(kind: kind, weights: weights, expecting: kind, scale: 12)
    }

    /// Every model with bundled weights, then every classical method.
    private var defaultMethods: [EnhancementMethod] {
        ModelKind.allCases.filter(\.hasBundledWeights).map { .model($0, weights: nil) }
            + ClassicalMethod.allCases.map { .classical($0) }
    }

    /// Every metric, less the full-reference ones without --reference.
    private var defaultMetrics: [ImageMetric] {
        ImageMetric.allCases.filter { reference != nil || $0.requirement != .reference }
    }

    /// The comma-separated items of `text` parsed by `parse`, or `fallback` when
    /// `text` is nil; items that fail are reported and skipped.
    private func parsedList<Item>(_ text: String?, default fallback: [Item], _ parse: (String) throws -> Item,
                                  failed: () -> Void) -> [Item] {
        guard let text else { return fallback }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .compactMap { item in
                do { return try parse(item) } catch {
                    printError("error: \(describe(error))")
                    failed()
                    return nil
                }
            }
    }
}

/// `lumen eval --task`.
enum EvaluationTask: String, ExpressibleByArgument, CaseIterable {
    case enhance, sr, denoise, matting
}
