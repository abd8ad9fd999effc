import Foundation
import LumenImaging

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
            "\(path): no PNG or JPEG images in this folder"
        case .outputNotAFolder(let path):
            "\(path): several images need an output folder, not a file"
        case .wouldOverwriteInput(let path):
            "\(path): the output would replace this input; choose another output"
        case let .unknownMetric(name):
            "unknown metric '\(name)'; the metrics are \(ImageMetric.allCases.map(\.rawValue).joined(separator: ", "))"
        case let .metricFailed(file, reason), let .cannotProcess(file, reason):
            "\(file): \(reason)"
        }
    }
}
