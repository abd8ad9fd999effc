import Foundation

/// What makes a file the same file, for telling whether an output would replace an
/// input: its device and inode when it exists (so hard links, symbolic links and
/// bind mounts match), otherwise its absolute path with links in its folders resolved.
func fileIdentity(_ url: URL) -> String {
    if let attributes = try? FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path),
       let device = (attributes[.systemNumber] as? NSNumber)?.intValue,
       let inode = (attributes[.systemFileNumber] as? NSNumber)?.intValue {
        return "inode \(device):\(inode)"
    }
    return "path " + url.standardizedFileURL.resolvingSymlinksInPath().path
}

/// Refuses an output that would replace one of the command's inputs.
/// - Throws: ``LumenCLIError/wouldOverwriteInput(_:)`` naming the input.
func refuseReplacingInput(output: URL, inputs: [URL]) throws {
    let target = fileIdentity(output)
    if let input = inputs.first(where: { fileIdentity($0) == target }) {
        throw LumenCLIError.wouldOverwriteInput(input.relativePath)
    }
}
