import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that readers see either the old contents or the new, never a mix.
///
/// The bytes go to a temporary file `.<name>.tmp-<random>` in the destination's
/// directory (a rename is atomic only within one file system), which is flushed
/// to disk and then renamed over the destination. On any failure the temporary
/// file is removed and an existing destination is left untouched. The new file
/// gets the default permissions (`0666` less the umask), not the old file's.
///
/// ```swift
/// try AtomicFile.write(encoded, to: URL(fileURLWithPath: "checkpoints/step-100.safetensors"))
/// ```
public enum AtomicFile {
    /// Replaces the file at `url` with `data` atomically.
    ///
    /// - Parameters:
    ///   - data: The complete new contents.
    ///   - url: A file URL; its directory must exist.
    /// - Throws: ``AtomicFileError`` naming the path as given (`url.relativePath`) and
    ///   the system's reason.
    public static func write(_ data: Data, to url: URL) throws(AtomicFileError) {
        let (path, name) = (url.path, url.relativePath)
        let directory = url.deletingLastPathComponent().path
        let temporaryPath = directory + "/." + url.lastPathComponent + ".tmp-"
            + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        // O_EXCL: never write through a file or link that someone else put there.
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw .cannotCreate(path: name, reason: systemReason()) }

        var failure: AtomicFileError?
        if !writeAll(data, to: descriptor) || fsync(descriptor) != 0 {
            failure = .writeFailed(path: name, reason: systemReason())
        }
        if close(descriptor) != 0, failure == nil {
            failure = .writeFailed(path: name, reason: systemReason())
        }
        if failure == nil, rename(temporaryPath, path) != 0 {
            failure = .renameFailed(path: name, reason: systemReason())
        }
        if let failure {
            unlink(temporaryPath)
            throw failure
        }
        synchronizeDirectory(directory)
    }

    /// Flushes the directory entry so the rename survives a crash. Best effort:
    /// the new contents are already in place, and some file systems refuse it.
    private static func synchronizeDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private static func systemReason() -> String { String(cString: strerror(errno)) }
}

/// Writes every byte, retrying short writes and interrupted calls. A file-scope
/// function, so `write` is the system call and not ``AtomicFile/write(_:to:)``.
private func writeAll(_ data: Data, to descriptor: Int32) -> Bool {
    data.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}

/// Why ``AtomicFile/write(_:to:)`` failed. Each message starts with the destination path.
public enum AtomicFileError: Error, LocalizedError, Equatable {
    /// The temporary file could not be created (missing or read-only directory).
    case cannotCreate(path: String, reason: String)
    /// Writing or flushing the temporary file failed (disk full, I/O error).
    case writeFailed(path: String, reason: String)
    /// The temporary file could not be renamed over the destination (it is a directory).
    case renameFailed(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .cannotCreate(let path, let reason): "\(path): cannot create a file in its directory (\(reason))"
        case .writeFailed(let path, let reason): "\(path): write failed (\(reason))"
        case .renameFailed(let path, let reason): "\(path): cannot replace the file (\(reason))"
        }
    }
}
