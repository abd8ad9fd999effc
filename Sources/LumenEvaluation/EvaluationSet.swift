import Foundation
import LumenIO

/// One image to evaluate: the input, and its ground truth when there is one.
public struct EvaluationSample: Sendable, Equatable {
    /// The input's file name, which also names the result.
    public let name: String
    /// The low-light input.
    public let input: URL
    /// The paired ground truth, `nil` without a reference folder or when it has no
    /// file for this input.
    public let reference: URL?
}

/// The images of a data folder, paired by file name with a reference folder.
///
/// A reference matches an input with the same file name, else the same name with
/// another image extension (`12.png` for `12.jpg`). Inputs without a reference are
/// kept (the no-reference metrics still apply) and listed in ``problems``.
public struct EvaluationSet: Sendable {
    /// The inputs, sorted by file name.
    public let samples: [EvaluationSample]
    /// Inputs whose reference is missing, one message each naming the file.
    public let problems: [String]

    /// - Parameters:
    ///   - data: the folder of inputs (PNG and JPEG files, not recursively).
    ///   - reference: the folder of ground-truth images, or `nil`.
    /// - Throws: ``EvaluationError`` when a folder cannot be read or holds no images.
    public init(data: URL, reference: URL?) throws(EvaluationError) {
        let inputs = try Self.imageNames(in: data)
        guard !inputs.isEmpty else { throw .noImages(data.relativePath) }
        var exact: Set<String> = [], byStem: [String: String] = [:]
        if let reference {
            for name in try Self.imageNames(in: reference) {
                exact.insert(name)
                if byStem[Self.stem(name)] == nil { byStem[Self.stem(name)] = name }
            }
        }
        var problems: [String] = []
        samples = inputs.map { name in
            let match = exact.contains(name) ? name : byStem[Self.stem(name)]
            if let reference, match == nil {
                problems.append("\(reference.appendingPathComponent(name).relativePath): no reference image for \(name)")
            }
            return EvaluationSample(name: name, input: data.appendingPathComponent(name),
                                    reference: match.flatMap { reference?.appendingPathComponent($0) })
        }
        self.problems = problems
    }

    /// The PNG and JPEG file names in `folder`, sorted.
    static func imageNames(in folder: URL) throws(EvaluationError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notAFolder(folder.relativePath)
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
            throw .unreadableFolder(folder.relativePath)
        }
        return names.filter { ImageFormat(pathExtension: ($0 as NSString).pathExtension) != nil }.sorted()
    }

    private static func stem(_ name: String) -> String { (name as NSString).deletingPathExtension }
}

/// Why an evaluation could not start.
public enum EvaluationError: Error, LocalizedError, Equatable {
    /// The path does not exist or is not a folder.
    case notAFolder(String)
    /// The folder's listing could not be read.
    case unreadableFolder(String)
    /// The data folder has no image files of a format LumenIO reads.
    case noImages(String)

    public var errorDescription: String? {
        switch self {
        case let .notAFolder(path): "\(path): no such folder"
        case let .unreadableFolder(path): "\(path): the folder cannot be read"
        case let .noImages(path): "\(path): no \(ImageFormat.namesForMessages) images in this folder"
        }
    }
}
