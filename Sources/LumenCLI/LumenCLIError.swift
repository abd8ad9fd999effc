import Foundation
import LumenImaging
import LumenIO

/// Errors the command-line tool reports itself.
enum LumenCLIError: Error, LocalizedError {
    /// Some inputs failed; each was reported as it happened.
    case someInputsFailed(failed: Int, total: Int)
    /// An input path does not exist.
    case missingInput(String)
    /// An input folder holds no images.
    case noImages(String)
    /// The output path cannot take several images.
    case outputNotAFolder(String)
    /// An output would replace its own input.
    case wouldOverwriteInput(String)
    /// The output of `writer` would replace another input.
    case outputReplacesInput(String, writer: String)
    /// Two inputs would be written to the same output.
    case outputCollision(String, String, output: String)
    /// With one input file, `-o` has an extension that names no image format.
    case unknownOutputExtension(String)
    /// `--format` disagrees with the output file's extension.
    case formatConflict(String, format: ImageFormat)
    /// The input has transparency and the output format stores none.
    case alphaNotStorable(String, format: ImageFormat)
    /// No metric has this name.
    case unknownMetric(String)
    /// A metric could not score a file.
    case metricFailed(file: String, reason: String)
    /// A file that was read fine cannot be processed with the options given.
    case cannotProcess(file: String, reason: String)

    var errorDescription: String? {
        switch self {
        case let .someInputsFailed(failed, total):
            "\(failed) of \(total) images failed (see the messages above)"
        case .missingInput(let path):
            "\(path): no such file or folder"
        case .noImages(let path):
            "\(path): no \(ImageFormat.namesForMessages) images in this folder"
        case .outputNotAFolder(let path):
            "\(path): several images need an output folder, not a file"
        case .wouldOverwriteInput(let path):
            "\(path): the output would replace this input; choose another output"
        case let .outputReplacesInput(path, writer):
            "\(path): the output of \(writer) would replace this input; choose another -o folder or --format"
        case let .outputCollision(first, second, output):
            "\(first) and \(second) would both be written to \(output); enhance them into separate folders or rename one"
        case .unknownOutputExtension(let path):
            "\(path): .\((path as NSString).pathExtension) names no image format; name the output file "
                + ImageFormat.allCases.map { "." + $0.fileExtension }.joined(separator: ", ") + ", or give a folder"
        case let .formatConflict(path, format):
            "\(path): --format \(format.rawValue) conflicts with the .\((path as NSString).pathExtension) extension; "
                + "drop --format or name the file ." + format.fileExtension
        case let .alphaNotStorable(path, format):
            "\(path): has transparency, which \(format) cannot store; write PNG, TIFF, WebP or BMP instead "
                + "(-o NAME.png, or --format png for a folder)"
        case let .unknownMetric(name):
            "unknown metric '\(name)'; the metrics are \(ImageMetric.allCases.map(\.rawValue).joined(separator: ", "))"
        case let .metricFailed(file, reason), let .cannotProcess(file, reason):
            "\(file): \(reason)"
        }
    }
}
