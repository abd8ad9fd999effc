import Foundation

/// An exclusive lock on a run folder, held while a run trains into it, so that
/// two `lumen train` processes cannot interleave their checkpoints and logs.
///
/// It is an advisory `flock` on `<run>/.lock`: the kernel releases it when the
/// process ends, however it ends, so a killed run never leaves a stale lock.
final class RunDirectoryLock {
    private let descriptor: Int32

    /// Takes the lock, or throws ``TrainingError/runInUse(path:)`` at once if another process holds it.
    init(_ runDirectory: URL) throws {
        let path = runDirectory.relativePath
        let file = runDirectory.appendingPathComponent(".lock").path
        descriptor = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw TrainingError.runDirectoryUnwritable(path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw busy ? TrainingError.runInUse(path: path) : TrainingError.runDirectoryUnwritable(path: path, reason: reason)
        }
    }

    deinit { close(descriptor) }
}
