import Foundation

/// A fresh, empty folder under the system's temporary folder; the caller removes it.
public func makeTemporaryDirectory(_ prefix: String = "lumen-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
