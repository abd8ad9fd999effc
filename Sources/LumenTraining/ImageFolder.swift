import Foundation
import LumenIO

/// The PNG and JPEG files of a training or validation folder, sorted by name.
public struct ImageFolder: Sendable {
    /// The folder.
    public let url: URL
    /// Its image files (not recursive), sorted by name so runs are reproducible.
    public let files: [URL]

    /// Lists the images in `url`.
    /// - Throws: `DatasetError` if the folder is missing, unreadable or has no images.
    public init(_ url: URL) throws(DatasetError) {
        self.url = url
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notAFolder(url.relativePath)
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: url.path) } catch {
            throw .unreadable(url.relativePath, error.localizedDescription)
        }
        files = names.sorted()
            .filter { ["png", "jpg", "jpeg"].contains(($0 as NSString).pathExtension.lowercased()) }
            .map { url.appendingPathComponent($0) }
        guard !files.isEmpty else { throw .empty(url.relativePath) }
    }
}

/// Problems with training data, each naming the path.
public enum DatasetError: Error, LocalizedError, Equatable {
    case notAFolder(String)
    case unreadable(String, String)
    case empty(String)
    /// Every image of the folder failed to decode.
    case noUsableImages(String)

    public var errorDescription: String? {
        switch self {
        case .notAFolder(let path): "\(path): not a folder"
        case let .unreadable(path, reason): "\(path): cannot be read (\(reason))"
        case .empty(let path): "\(path): no PNG or JPEG images in this folder"
        case .noUsableImages(let path): "\(path): none of its images could be decoded"
        }
    }
}
