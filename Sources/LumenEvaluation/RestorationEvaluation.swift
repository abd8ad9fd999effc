import Foundation
import Lumen
import LumenImaging
import LumenIO
import LumenTensor

/// A restoration method under evaluation: a label for tables and folders, and the restorer.
public struct EvaluatedRestorer: Sendable {
    public let label: String
    public let restorer: any ImageRestorer

    public init(label: String, restorer: any ImageRestorer) {
        (self.label, self.restorer) = (label, restorer)
    }
}

/// The standard restoration protocols on a folder of clean images, the engine of
/// `lumen eval --task sr|denoise` (the rules are in `../shared/data/restoration/README.md`).
///
/// - Super-resolution at scale s: each HR image is cropped to a multiple of s from
///   the top left, shrunk with MATLAB's bicubic `imresize` and rounded to 8 bits (the
///   LR, the input row's thumbnail); every method enlarges the LR, and PSNR and SSIM
///   are computed on the luma (the gray value of a gray image, else BT.601 studio Y;
///   a luma model's own Y is scored unrounded) with s pixels shaved from every border.
/// - Denoising at σ: each clean image, as 8-bit gray when the whole set is gray
///   (else RGB), gets NumPy's `np.random.seed(0); normal(0, σ/255, (H, W, C))` added
///   in float64 to its float32 values, unclipped; every method denoises that tensor,
///   whose output is clamped, rounded to 8 bits and scored by PSNR and SSIM against
///   the clean image without shave. The input row scores the noisy image clipped
///   and rounded.
public struct RestorationEvaluation: Sendable {
    /// What is measured.
    public enum Task: Sendable, Equatable {
        case superResolution(scale: Int)
        case denoising(sigma: Double)
    }

    public let task: Task
    public let methods: [EvaluatedRestorer]
    /// Models run in tiles of this many pixels a side (the same result).
    public var tileSize = 512
    /// The long side of the thumbnails kept for the HTML report, in pixels.
    public var thumbnailSize = 240

    public init(task: Task, methods: [EvaluatedRestorer]) {
        (self.task, self.methods) = (task, methods)
    }

    /// The metrics each record holds: Y-PSNR and Y-SSIM for SR, PSNR and SSIM for denoising.
    public var metrics: [ImageMetric] {
        if case .superResolution = task { [.psnrY, .ssimY] } else { [.psnr, .ssim] }
    }

    /// Evaluates every method on every image of `folder` (sorted by name).
    ///
    /// Unreadable images, images too small for the scale, and methods that cannot
    /// take an image are reported in ``EvaluationResults/problems`` naming the file;
    /// the others are still evaluated.
    /// - Parameters:
    ///   - imagesFolder: where to write each result as `METHOD/NAME.png`; `nil` writes none.
    ///   - progress: called after each method on each image with (done, total, file name).
    public func run(_ folder: URL, imagesFolder: URL?, progress: (Int, Int, String) -> Void) throws(EvaluationError) -> EvaluationResults {
        let set = try EvaluationSet(data: folder, reference: nil)
        var records: [EvaluationRecord] = [], problems: [String] = []
        var thumbnails: [String: [String: Data]] = [:]
        let total = set.samples.count * methods.count
        var done = 0
        var grayOnly = false
        if case .denoising = task { grayOnly = set.samples.allSatisfy { Self.isGray($0.input) } }
        for sample in set.samples {
            let clean: Image
            do { clean = try Image(contentsOf: sample.input).colorChannels.converted(toBitDepth: 8) } catch {
                problems.append(error.localizedDescription)
                done += methods.count
                progress(done, total, sample.name)
                continue
            }
            let trial: Trial
            switch task {
            case .superResolution(let scale):
                guard clean.width >= scale, clean.height >= scale, clean.width / scale * scale > 2 * scale,
                      clean.height / scale * scale > 2 * scale else {
                    problems.append("\(sample.input.relativePath): \(clean.width)x\(clean.height) is too small for the ×\(scale) protocol")
                    done += methods.count
                    progress(done, total, sample.name)
                    continue
                }
                trial = SuperResolutionTrial(clean: clean, scale: scale)
            case .denoising(let sigma):
                trial = DenoisingTrial(clean: grayOnly ? clean : clean.rgb(), sigma: sigma)
            }
            thumbnails[sample.name, default: [:]][EvaluationResults.inputLabel] = thumbnail(trial.inputPreview)
            thumbnails[sample.name, default: [:]][EvaluationResults.referenceLabel] = thumbnail(trial.reference)
            records.append(EvaluationRecord(sample: sample.name, method: EvaluationResults.inputLabel, seconds: nil,
                                            scores: trial.inputScores, errors: [], output: nil))
            for method in methods {
                defer { done += 1; progress(done, total, sample.name) }
                let start = Date()
                let result: (image: Image, scores: [ImageMetric: Double])
                do { result = try trial.run(method.restorer, tileSize: tileSize) } catch {
                    problems.append("\(sample.input.relativePath) (\(method.label)): \(error.localizedDescription)")
                    continue
                }
                let seconds = Date().timeIntervalSince(start)
                let output = imagesFolder.flatMap {
                    Evaluation.write(result.image, into: $0, method: method.label, sample: sample.name, problems: &problems)
                }
                thumbnails[sample.name, default: [:]][method.label] = thumbnail(result.image)
                records.append(EvaluationRecord(sample: sample.name, method: method.label, seconds: seconds, scores: result.scores,
                                                errors: [], output: output))
            }
        }
        return EvaluationResults(methods: [EvaluationResults.inputLabel] + methods.map(\.label), metrics: metrics,
                                 samples: set.samples, records: records, problems: set.problems + problems, thumbnails: thumbnails)
    }

    /// The denoising protocol's input for an 8-bit image, `[1, C, H, W]`:
    /// `float32(float32(clean / 255.) + normal(0, σ/255))` with NumPy's seed-0 draws in
    /// C order over (H, W, C), the sum in float64 as NumPy's in-place `+=` does; not clipped.
    static func noisyInput(_ clean: Image, sigma: Double) -> Tensor {
        var random = NumPyRandomState(seed: 0)
        let (channels, count) = (clean.channels, clean.width * clean.height)
        let values = clean.samples.map { sample in
            Float(Double(Float(Double(sample) / 255)) + random.normal(mean: 0, standardDeviation: sigma / 255))
        }
        return Tensor(shape: [1, channels, clean.height, clean.width]) { buffer in
            for pixel in 0..<count {
                for channel in 0..<channels { buffer[channel * count + pixel] = values[pixel * channels + channel] }
            }
        }
    }

    /// Whether the file decodes to one colour channel (gray, with or without alpha).
    private static func isGray(_ url: URL) -> Bool {
        (try? Image(contentsOf: url).colorChannels.channels == 1) ?? false
    }

    /// A JPEG of `image` with its long side at most ``thumbnailSize``.
    private func thumbnail(_ image: Image) -> Data? { jpegThumbnail(image, longSide: thumbnailSize) }
}

/// One clean image prepared for a protocol: what every method gets and how it is scored.
private protocol Trial {
    /// What the methods start from, as a picture (the LR, or the noisy image).
    var inputPreview: Image { get }
    /// The ground truth, as a picture.
    var reference: Image { get }
    /// The input row's scores.
    var inputScores: [ImageMetric: Double] { get }
    /// Runs a method and scores its result.
    func run(_ restorer: any ImageRestorer, tileSize: Int) throws -> (image: Image, scores: [ImageMetric: Double])
}

/// Why a method cannot take part in a protocol.
struct RestorationProtocolError: Error, LocalizedError {
    let reason: String
    var errorDescription: String? { reason }
}

/// The SR protocol on one HR image.
private struct SuperResolutionTrial: Trial {
    let scale: Int
    let reference: Image
    let low: Image
    /// The HR luma the protocol compares with.
    let referenceLuma: [Double]

    init(clean: Image, scale: Int) {
        self.scale = scale
        let height = clean.height / scale * scale, width = clean.width / scale * scale
        reference = clean.cropped(height: height, width: width)
        low = reference.resizedLikeMATLAB(width: width / scale, height: height / scale)
        referenceLuma = reference.protocolLuma
    }

    var inputPreview: Image { low }
    var inputScores: [ImageMetric: Double] { [:] }

    func run(_ restorer: any ImageRestorer, tileSize: Int) throws -> (image: Image, scores: [ImageMetric: Double]) {
        guard restorer.scaleFactor == scale else {
            throw RestorationProtocolError(reason: "enlarges ×\(restorer.scaleFactor), not ×\(scale)")
        }
        if let problem = restorer.sizeProblem(height: low.height, width: low.width) { throw RestorationProtocolError(reason: problem) }
        let result = restorer.restore(low, options: RestorationOptions(tileSize: tileSize, computesLuma: true))
        let (height, width) = (reference.height, reference.width)
        let shaved = { (values: [Double]) -> Tensor in
            let rows = scale ..< height - scale, columns = scale ..< width - scale
            return Tensor(shape: [1, 1, rows.count, columns.count],
                          scalars: rows.flatMap { row in columns.map { Float(values[row * width + $0] / 255) } })
        }
        let output = result.luma!, truth = referenceLuma
        var squaredError = 0.0, count = 0
        for row in scale ..< height - scale {
            for column in scale ..< width - scale {
                let difference = output[row * width + column] - truth[row * width + column]
                squaredError += difference * difference
                count += 1
            }
        }
        let psnr = 10 * log10(255 * 255 / (squaredError / Double(count)))
        var scores: [ImageMetric: Double] = [.psnrY: psnr]
        if height - 2 * scale >= 11 && width - 2 * scale >= 11 { scores[.ssimY] = ssim(shaved(output), shaved(truth)) }
        return (result.image, scores)
    }
}

/// The denoising protocol on one clean image.
private struct DenoisingTrial: Trial {
    let reference: Image
    /// `[1, C, H, W]`: the clean float32 values plus NumPy's seed-0 noise, unclipped.
    let noisy: Tensor

    init(clean: Image, sigma: Double) {
        reference = clean
        noisy = RestorationEvaluation.noisyInput(clean, sigma: sigma)
    }

    var inputPreview: Image { Image(tensor: noisy) }
    var inputScores: [ImageMetric: Double] { Self.scores(inputPreview.tensor(), reference.tensor()) }

    func run(_ restorer: any ImageRestorer, tileSize: Int) throws -> (image: Image, scores: [ImageMetric: Double]) {
        guard let model = restorer as? any TensorRestorer, model.scaleFactor == 1, model.colorModel == .gray || model.colorModel == .rgb else {
            throw RestorationProtocolError(reason: "is not a denoising model on gray or RGB tensors")
        }
        let input: Tensor
        switch (model.colorModel, noisy.shape[1]) {
        case (.gray, let channels): input = noisy.reshaped([channels, 1, noisy.shape[2], noisy.shape[3]])
        case (_, 1): input = Tensor.concatenated([noisy, noisy, noisy], axis: 1)
        default: input = noisy
        }
        var output = model.restoredInTiles(input, tileSize: tileSize)
        if model.colorModel == .gray {
            output = output.reshaped([1, noisy.shape[1], noisy.shape[2], noisy.shape[3]])
        } else if noisy.shape[1] == 1 {
            output = YCbCr.luma(output)  // an RGB model on a gray set: the luma of its result
        }
        let image = Image(tensor: output)
        return (image, Self.scores(image.tensor(), reference.tensor()))
    }

    /// PSNR and SSIM of 8-bit values, no shave.
    static func scores(_ image: Tensor, _ reference: Tensor) -> [ImageMetric: Double] {
        var scores: [ImageMetric: Double] = [.psnr: psnr(image, reference)]
        if image.shape[2] >= 11 && image.shape[3] >= 11 { scores[.ssim] = ssim(image, reference) }
        return scores
    }
}

extension Image {
    /// The top-left `height` x `width` part.
    func cropped(height newHeight: Int, width newWidth: Int) -> Image {
        if newHeight == height && newWidth == width { return self }
        var result = [UInt16]()
        result.reserveCapacity(newHeight * newWidth * channels)
        for row in 0..<newHeight {
            let start = row * width * channels
            result.append(contentsOf: samples[start ..< start + newWidth * channels])
        }
        return Image(width: newWidth, height: newHeight, channels: channels, bitDepth: bitDepth, samples: result)
    }
}
