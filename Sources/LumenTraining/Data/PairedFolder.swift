import Foundation

/// A low-light/normal pair of files.
public struct ImagePair: Sendable, Hashable {
    /// The shared file name without extension.
    public let name: String
    public let low: URL
    public let high: URL
}

/// A folder of training pairs: `low/` and `high/` holding images with the same
/// names (the layout `lumen synth` writes, and that of LOL-style datasets), or
/// other subfolders (`image/` and `alpha/` for matting, as `lumen synth-matting`
/// writes).
///
/// Names are matched without their extension, so `low/a.jpg` pairs with
/// `high/a.png`. Every file must have a partner: an unmatched name is an error
/// naming it, since silently training on part of a dataset hides mistakes.
public struct PairedFolder: Sendable {
    /// The folder holding the two subfolders.
    public let url: URL
    /// The pairs, sorted by name.
    public let pairs: [ImagePair]

    /// Lists and matches the pairs of `url`: `input` holds the inputs (``ImagePair/low``),
    /// `target` the targets (``ImagePair/high``).
    /// - Throws: `DatasetError` if a subfolder is missing, unreadable or empty, or
    ///   a name has no partner (the message names them).
    public init(_ url: URL, input: String = "low", target: String = "high") throws(DatasetError) {
        self.url = url
        let lowFolder = url.appendingPathComponent(input), highFolder = url.appendingPathComponent(target)
        var isDirectory: ObjCBool = false
        for folder in [lowFolder, highFolder] {
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .missingSubfolders(url.relativePath, input: input, target: target)
            }
        }
        let low = try ImageFolder(lowFolder).files, high = try ImageFolder(highFolder).files
        let lowByName = Self.byStem(low), highByName = Self.byStem(high)
        let lowOnly = lowByName.keys.filter { highByName[$0] == nil }.sorted()
        let highOnly = highByName.keys.filter { lowByName[$0] == nil }.sorted()
        guard lowOnly.isEmpty && highOnly.isEmpty else {
            throw .unmatchedPairs(folder: url.relativePath, input: input, target: target,
                                  inputOnly: lowOnly.map { lowByName[$0]!.lastPathComponent },
                                  targetOnly: highOnly.map { highByName[$0]!.lastPathComponent })
        }
        pairs = lowByName.keys.sorted().map { ImagePair(name: $0, low: lowByName[$0]!, high: highByName[$0]!) }
    }

    /// Files by name without extension (the first, by sorted name, if two share a stem).
    private static func byStem(_ files: [URL]) -> [String: URL] {
        Dictionary(files.map { ($0.deletingPathExtension().lastPathComponent, $0) }) { first, _ in first }
    }
}
