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
            """)

    @Option(help: "Folder of input images (PNG, JPEG).")
    var data: String

    @Option(help: "Folder of ground-truth images, matched to the inputs by file name.")
    var reference: String?

    @Option(help: "Comma-separated methods (default: every model with bundled weights, then every classical method).")
    var methods: String?

    @Option(help: "Comma-separated metrics (default: every metric the data allows).")
    var metrics: String?

    @Option(help: "Report folder: tables, charts, report.html and the enhanced images.")
    var out: String = "eval-report"

    @OptionGroup var runtime: RuntimeOptions

    func run() throws {
        runtime.apply()
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
        var evaluated: [EvaluatedMethod] = []
        for method in parsedMethods {
            do { evaluated.append(EvaluatedMethod(label: method.label, enhancer: try method.makeEnhancer())) } catch {
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
