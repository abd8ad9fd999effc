import ArgumentParser
import Foundation
import LumenImaging
import LumenIO

/// `lumen metrics`: the quality metrics of one image, or of an image against its
/// ground truth.
struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the quality metrics of an image, or of an image and its reference.",
        discussion: """
            With one image: the no-reference metrics (NIQE, BRISQUE, UIQM, UCIQE, entropy, \
            colourfulness). With a reference as well: PSNR, SSIM and MS-SSIM too. With --input (the \
            original low-light photo): LOE.
            """)

    @Argument(help: "The image to score.")
    var image: String

    @Argument(help: "Its ground truth, the same size.")
    var reference: String?

    @Option(help: "The original the image was enhanced from (for LOE).")
    var input: String?

    @Option(help: "Comma-separated metrics (default: every metric the given images allow).")
    var metrics: String?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @OptionGroup var runtime: RuntimeOptions

    func run() throws {
        runtime.apply()
        let chosen = try chosenMetrics()
        let scored = try Image(contentsOf: URL(fileURLWithPath: image)).tensor()
        let referenceImage = try reference.map { try Image(contentsOf: URL(fileURLWithPath: $0)).tensor() }
        let inputImage = try input.map { try Image(contentsOf: URL(fileURLWithPath: $0)).tensor() }
        var values: [(ImageMetric, Double)] = []
        for metric in chosen {
            do {
                values.append((metric, try metric.measure(scored, input: inputImage, reference: referenceImage)))
            } catch {
                throw LumenCLIError.metricFailed(file: image, reason: error.localizedDescription)
            }
        }
        if json {
            // A value that is not finite is `null`, its reason under "undefined".
            var object: [String: Any] = [:], undefined: [String: String] = [:]
            for (metric, value) in values {
                let reason = metric.undefinedReason(value)
                object[metric.rawValue] = reason == nil ? value : NSNull()
                undefined[metric.rawValue] = reason
            }
            if !undefined.isEmpty { object["undefined"] = undefined }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            let width = values.map(\.0.displayName.count).max() ?? 0
            for (metric, value) in values {
                let name = metric.displayName.padding(toLength: width, withPad: " ", startingAt: 0)
                let shown = metric.undefinedReason(value).map { "\(value) (\(metric.displayName) \($0))" } ?? String(format: "%.4f", value)
                print("\(name)  \(shown)  (\(metric.higherIsBetter ? "higher" : "lower") is better)")
            }
        }
    }

    /// `--metrics`, or every metric whose second image was given.
    private func chosenMetrics() throws -> [ImageMetric] {
        guard let metrics else {
            return ImageMetric.allCases.filter { metric in
                switch metric.requirement {
                case .reference: reference != nil
                case .input: input != nil
                case .none: true
                }
            }
        }
        return try metrics.split(separator: ",").map { name in
            let name = name.trimmingCharacters(in: .whitespaces)
            guard let metric = ImageMetric(rawValue: name) else {
                throw LumenCLIError.unknownMetric(name)
            }
            if metric.requirement == .reference && reference == nil {
                throw ValidationError("\(name) compares with ground truth: give the reference image as the second argument")
            }
            if metric.requirement == .input && input == nil {
                throw ValidationError("\(name) compares with the original: give it with --input")
            }
            return metric
        }
    }
}
