import Foundation
import Lumen
import LumenImaging
import LumenIO
import LumenTensor

/// A method under evaluation: a label for tables and folders, and its enhancer.
public struct EvaluatedMethod: Sendable {
    /// The label, e.g. `zero-dce-pp` or `zero-dce (Epoch99.pth)`.
    public let label: String
    /// The model or classical method.
    public let enhancer: any TensorEnhancer

    public init(label: String, enhancer: any TensorEnhancer) {
        self.label = label
        self.enhancer = enhancer
    }
}

/// Runs methods on a set of images and scores every result with image-quality
/// metrics: the engine of `lumen eval`.
///
/// Samples are processed in name order and methods in the given order, so results
/// and reports are deterministic (apart from the runtimes). The unprocessed input
/// is scored too, as the row ``EvaluationResults/inputLabel``.
///
/// ```swift
/// let set = try EvaluationSet(data: lowFolder, reference: highFolder)
/// let evaluation = Evaluation(methods: [EvaluatedMethod(label: "clahe", enhancer: ClassicalEnhancer(.clahe))],
///                             metrics: [.psnr, .ssim, .niqe])
/// let results = evaluation.run(set, imagesFolder: nil) { done, total, name in }
/// ```
public struct Evaluation: Sendable {
    /// The methods, in report order.
    public let methods: [EvaluatedMethod]
    /// The metrics, in report order.
    public let metrics: [ImageMetric]
    /// Models run in tiles of this many pixels a side (bounded memory, same result).
    public var tileSize = 512
    /// The long side of the thumbnails kept for the HTML report, in pixels.
    public var thumbnailSize = 240

    public init(methods: [EvaluatedMethod], metrics: [ImageMetric]) {
        self.methods = methods
        self.metrics = metrics
    }

    /// Evaluates every method on every sample.
    ///
    /// An input that cannot be read, a reference that cannot be read or whose size
    /// differs from its input, and a result that cannot be written are reported in
    /// ``EvaluationResults/problems`` (naming the file); the other images are still
    /// evaluated, and a sample without a usable reference still gets the metrics
    /// that need none.
    /// - Parameters:
    ///   - imagesFolder: where to write the enhanced images, as
    ///     `METHOD/NAME.png`; `nil` writes none.
    ///   - progress: called after each method on each image with (done, total, file name).
    public func run(_ set: EvaluationSet, imagesFolder: URL?,
                    progress: (Int, Int, String) -> Void) -> EvaluationResults {
        var records: [EvaluationRecord] = []
        var problems = set.problems
        var thumbnails: [String: [String: Data]] = [:]
        let total = set.samples.count * methods.count
        var done = 0
        for sample in set.samples {
            let input: Tensor
            do { input = try Image(contentsOf: sample.input).rgb().tensor() } catch {
                problems.append(error.localizedDescription)
                done += methods.count
                progress(done, total, sample.name)
                continue
            }
            let reference = loadReference(of: sample, matching: input, problems: &problems)
            thumbnails[sample.name, default: [:]][EvaluationResults.inputLabel] = thumbnail(input)
            if let reference { thumbnails[sample.name, default: [:]][EvaluationResults.referenceLabel] = thumbnail(reference) }
            records.append(score(input, sample: sample, method: EvaluationResults.inputLabel, seconds: nil, output: nil,
                                 input: input, reference: reference))
            for method in methods {
                if let problem = method.enhancer.sizeProblem(height: input.shape[2], width: input.shape[3]) {
                    problems.append("\(sample.input.relativePath) (\(method.label)): \(problem)")
                    done += 1
                    progress(done, total, sample.name)
                    continue
                }
                let start = Date()
                let enhanced = withoutGradients {
                    method.enhancer.enhancedInTiles(input, tileSize: tileSize) { _, _ in }
                }
                let seconds = Date().timeIntervalSince(start)
                // Scored as saved: 8-bit, as a user would look at it.
                let saved = Image(tensor: enhanced)
                let output = imagesFolder.flatMap { Self.write(saved, into: $0, method: method.label, sample: sample.name, problems: &problems) }
                let result = saved.tensor()
                thumbnails[sample.name, default: [:]][method.label] = thumbnail(result)
                records.append(score(result, sample: sample, method: method.label, seconds: seconds, output: output,
                                     input: input, reference: reference))
                done += 1
                progress(done, total, sample.name)
            }
        }
        return EvaluationResults(methods: [EvaluationResults.inputLabel] + methods.map(\.label), metrics: metrics,
                                 samples: set.samples, records: records, problems: problems, thumbnails: thumbnails)
    }

    /// The sample's reference, or `nil` (with a problem noted) when it cannot be
    /// read or its size differs from the input's.
    private func loadReference(of sample: EvaluationSample, matching input: Tensor, problems: inout [String]) -> Tensor? {
        guard let url = sample.reference else { return nil }
        let reference: Tensor
        do { reference = try Image(contentsOf: url).rgb().tensor() } catch {
            problems.append(error.localizedDescription)
            return nil
        }
        guard reference.shape == input.shape else {
            problems.append("\(url.relativePath): the reference is \(reference.shape[3])x\(reference.shape[2]) but "
                            + "\(sample.input.relativePath) is \(input.shape[3])x\(input.shape[2]); "
                            + "full-reference metrics skipped for \(sample.name)")
            return nil
        }
        return reference
    }

    /// The metrics of one image; those whose reference is missing are left out
    /// (the missing reference is already a problem), other failures noted.
    private func score(_ image: Tensor, sample: EvaluationSample, method: String, seconds: Double?, output: String?,
                       input: Tensor, reference: Tensor?) -> EvaluationRecord {
        var scores: [ImageMetric: Double] = [:]
        var errors: [String] = []
        for metric in metrics where metric.requirement != .reference || reference != nil {
            do {
                let value = try metric.measure(image, input: input, reference: reference)
                if let reason = metric.undefinedReason(value) {
                    errors.append("\(sample.input.relativePath) (\(method)): \(metric.displayName) \(reason); left out of the mean")
                } else {
                    scores[metric] = value
                }
            } catch {
                errors.append("\(sample.input.relativePath) (\(method)): \(error.localizedDescription)")
            }
        }
        return EvaluationRecord(sample: sample.name, method: method, seconds: seconds, scores: scores, errors: errors, output: output)
    }

    /// A JPEG of `image` with its long side at most ``thumbnailSize``.
    private func thumbnail(_ image: Tensor) -> Data? {
        let (height, width) = (image.shape[2], image.shape[3])
        let scale = min(1, Double(thumbnailSize) / Double(max(height, width)))
        let small = scale < 1
            ? withoutGradients { image.adaptiveAvgPool2d(outputSize: (max(1, Int(Double(height) * scale)), max(1, Int(Double(width) * scale)))) }
            : image
        return try? Image(tensor: small).encoded(as: .jpeg, quality: 85)
    }

    /// Writes a result as `METHOD/NAME.png` under `folder` and returns that relative
    /// path, or `nil` with the error added to `problems`.
    static func write(_ image: Image, into folder: URL, method: String, sample: String, problems: inout [String]) -> String? {
        let relative = folderName(method) + "/" + (sample as NSString).deletingPathExtension + ".png"
        do {
            let url = folder.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try image.write(to: url, format: .png)
            return relative
        } catch {
            problems.append(error.localizedDescription)
            return nil
        }
    }

    /// `label` as a folder name: letters, digits, `.`, `-` and `_`; anything else becomes `-`.
    static func folderName(_ label: String) -> String {
        String(label.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" })
    }
}
