import Foundation

/// Whether two paths name the same file: equal once made absolute and standardised
/// with symbolic links resolved, or, when both exist, the same device and inode
/// (a hard link, a bind mount).
func isSameFile(_ first: URL, _ second: URL) -> Bool {
    if first.standardizedFileURL.resolvingSymlinksInPath() == second.standardizedFileURL.resolvingSymlinksInPath() {
        return true
    }
    func identity(_ url: URL) -> (device: Int, inode: Int)? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              let device = (attributes[.systemNumber] as? NSNumber)?.intValue,
              let inode = (attributes[.systemFileNumber] as? NSNumber)?.intValue else { return nil }
        return (device, inode)
    }
    guard let a = identity(first), let b = identity(second) else { return false }
    return a == b
}

/// Refuses an output that would replace one of the command's inputs.
/// - Throws: ``LumenCLIError/wouldOverwriteInput(_:)`` naming the input.
func refuseReplacingInput(output: URL, inputs: [URL]) throws {
    if let input = inputs.first(where: { isSameFile($0, output) }) {
        throw LumenCLIError.wouldOverwriteInput(input.relativePath)
    }
}
