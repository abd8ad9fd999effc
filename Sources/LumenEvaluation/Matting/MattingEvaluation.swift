import Foundation
import Lumen
import LumenImaging
import LumenIO
import LumenTensor

/// A matting model under evaluation: a label for tables and folders, and the model.
public struct EvaluatedMatter: Sendable {
    public let label: String
    public let model: MattingUNet

    public init(label: String, model: MattingUNet) {
        model.eval()
        (self.label, self.model) = (label, model)
    }
}

/// The engine of `lumen eval --task matting`: every model on every photo of a folder,
/// its alpha scored against the ground truth with ``MattingErrors`` over the whole
/// image and, when trimaps are given, over their unknown region.
///
/// Photos, alphas and trimaps are paired by file name (another image extension
/// allowed, as ``EvaluationSet`` pairs). A photo without an alpha, an alpha of another
/// size, one that is not gray, or a trimap that is not one is reported naming the
/// file, and the other photos are still scored.
public struct MattingEvaluation: Sendable {
    public let methods: [EvaluatedMatter]
    /// Models run in tiles of this many pixels a side (the same result).
    public var tileSize = 1024
    /// The long side of the thumbnails kept for the HTML report, in pixels.
    public var thumbnailSize = 200

    public init(methods: [EvaluatedMatter]) { self.methods = methods }

    /// - Parameters:
    ///   - imagesFolder: where to write each alpha as `METHOD/NAME.png`; `nil` writes none.
    ///   - progress: called after each method on each photo with (done, total, file name).
    public func run(images: URL, alphas: URL, trimaps: URL?, imagesFolder: URL?,
                    progress: (Int, Int, String) -> Void) throws(EvaluationError) -> MattingResults {
        let set = try EvaluationSet(data: images, reference: alphas)
        // Each alpha's trimap, by the alpha's file name.
        let trimapFiles = try trimaps.map { folder throws(EvaluationError) in
            Dictionary(try EvaluationSet(data: alphas, reference: folder).samples.map { ($0.input.lastPathComponent, $0.reference) }) { $1 }
        }
        var records: [MattingRecord] = [], problems = set.problems
        var thumbnails: [String: [String: Data]] = [:]
        let total = set.samples.count * methods.count
        var done = 0
        for sample in set.samples {
            defer { progress(done, total, sample.name) }
            guard let alphaURL = sample.reference else { done += methods.count; continue }
            let photo: Image, truth: Matte, trimap: Trimap?
            do {
                photo = try Image(contentsOf: sample.input)
                truth = try Self.matte(alphaURL, like: photo)
                let trimapURL = trimapFiles?[alphaURL.lastPathComponent] ?? nil
                trimap = try trimapURL.map { try Self.trimap($0, like: photo) }
            } catch {
                problems.append(error.localizedDescription)
                done += methods.count
                continue
            }
            thumbnails[sample.name, default: [:]][MattingResults.photoLabel] = thumbnail(photo)
            thumbnails[sample.name, default: [:]][MattingResults.referenceLabel] = thumbnail(truth.image)
            let input = photo.rgb().tensor()
            for method in methods {
                let start = Date()
                let alpha = withoutGradients { method.model.alphaInTiles(input, tileSize: tileSize) }
                let seconds = Date().timeIntervalSince(start)
                let predicted = Matte(alpha: alpha)
                var errors: [MattingRegion: MattingErrors] = [:]
                do {
                    errors[.whole] = try MattingErrors(prediction: predicted, groundTruth: truth, trimap: nil, region: .whole)
                    if let trimap {
                        errors[.unknown] = try MattingErrors(prediction: predicted, groundTruth: truth, trimap: trimap, region: .unknown)
                    }
                } catch {
                    problems.append("\(sample.name): \(error.description)")
                }
                var output: String?
                if let imagesFolder {
                    let stem = (sample.name as NSString).deletingPathExtension
                    let relative = "\(Evaluation.folderName(method.label))/\(stem).png"
                    do {
                        let url = imagesFolder.appendingPathComponent(relative)
                        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                        try predicted.image.write(to: url, format: .png)
                        output = relative
                    } catch { problems.append(error.localizedDescription) }
                }
                thumbnails[sample.name, default: [:]][method.label] = thumbnail(predicted.image)
                records.append(MattingRecord(sample: sample.name, method: method.label, seconds: seconds, errors: errors, output: output))
                done += 1
            }
        }
        return MattingResults(methods: methods.map(\.label), hasTrimaps: trimaps != nil, records: records,
                              problems: problems, thumbnails: thumbnails)
    }

    /// The ground-truth alpha of `photo`, checked: gray, the photo's size.
    static func matte(_ url: URL, like photo: Image) throws -> Matte {
        try decoded(url, like: photo, Matte.init(image:)) { ($0.width, $0.height) }
    }

    /// The trimap of `photo`, checked: 0, 128 and 255 only, the photo's size, some unknown pixels.
    static func trimap(_ url: URL, like photo: Image) throws -> Trimap {
        let trimap = try decoded(url, like: photo, Trimap.init(image:)) { ($0.width, $0.height) }
        guard trimap.unknownCount > 0 else {
            throw EvaluationFileError(file: url.relativePath, reason: MattingError.noUnknownRegion.description)
        }
        return trimap
    }

    /// `make` of the image in `url`, which must have `photo`'s size; errors name the file.
    private static func decoded<Value>(_ url: URL, like photo: Image, _ make: (Image) throws(MattingError) -> Value,
                                       size: (Value) -> (width: Int, height: Int)) throws -> Value {
        let value: Value
        do { value = try make(Image(contentsOf: url)) } catch let error as MattingError {
            throw EvaluationFileError(file: url.relativePath, reason: error.description)
        }
        let (width, height) = size(value)
        guard width == photo.width && height == photo.height else {
            throw EvaluationFileError(file: url.relativePath, reason: "is \(width)x\(height) but its photo is "
                                      + "\(photo.width)x\(photo.height): it must have its photo's size")
        }
        return value
    }

    /// A JPEG of `image` with its long side at most ``thumbnailSize``.
    private func thumbnail(_ image: Image) -> Data? { jpegThumbnail(image, longSide: thumbnailSize) }
}

/// A file an evaluation could not use, and why.
struct EvaluationFileError: Error, LocalizedError {
    let file: String
    let reason: String
    var errorDescription: String? { "\(file) \(reason)" }
}
