import Foundation

/// Reads a whole file for one of the format readers (safetensors, PyTorch
/// checkpoints, NumPy arrays, zip archives), memory-mapped when that is safe.
///
/// Each reader names files by their last path component in its messages, so a
/// read failure becomes the reader's own error through `unreadable(file, reason)`.
func readFileContents<Failure: Error>(
    _ url: URL, unreadable: (_ file: String, _ reason: String) -> Failure
) throws(Failure) -> (data: Data, name: String) {
    let name = url.lastPathComponent
    do {
        return (try Data(contentsOf: url, options: .mappedIfSafe), name)
    } catch {
        throw unreadable(name, error.localizedDescription)
    }
}
