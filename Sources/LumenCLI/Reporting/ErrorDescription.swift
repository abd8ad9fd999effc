import ArgumentParser
import Foundation
import LumenIO

/// The one-line message `lumen` prints for an error: the file and the problem in words.
///
/// Lumen's own errors already read that way. Foundation's file-system errors do not
/// on Linux ("The operation could not be completed. (NSCocoaErrorDomain error 512.)"),
/// so they are rewritten from the path and the system's reason they carry:
/// "out/x: Not a directory".
func describe(_ error: any Error) -> String {
    if let decoding = error as? ImageDecodingError, case .tooLarge = decoding {
        return decoding.localizedDescription + "; --max-pixels raises the limit, up to \(Image.maximumPixelsCeiling)"
    }
    let bridged = error as NSError
    guard bridged.domain == NSCocoaErrorDomain else { return error.localizedDescription }
    let path = (bridged.userInfo[NSFilePathErrorKey] as? String)
        ?? (bridged.userInfo[NSURLErrorKey] as? URL)?.path
    let reason: String
    if let underlying = bridged.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        reason = String(cString: strerror(Int32(underlying.code)))
    } else if let path, let found = obstacle(to: path) {
        reason = found
    } else {
        reason = switch CocoaError.Code(rawValue: bridged.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: "No such file or directory"
        case .fileWriteFileExists: "File exists"
        case .fileReadNoPermission, .fileWriteNoPermission: "Permission denied"
        case .fileWriteOutOfSpace: "No space left on device"
        case .fileWriteVolumeReadOnly: "Read-only file system"
        default: "file-system error \(bridged.code)"
        }
    }
    return path.map { "\($0): \(reason)" } ?? reason
}

/// Why nothing can be created at `path`, found on the disk when Foundation gives no
/// reason (creating folders under a file reports only "error 512"): the nearest
/// existing ancestor is a file, or cannot be written.
private func obstacle(to path: String) -> String? {
    var ancestor = URL(fileURLWithPath: path).deletingLastPathComponent()
    while ancestor.path != "/" {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { return "Not a directory (\(ancestor.path) is a file)" }
            return FileManager.default.isWritableFile(atPath: ancestor.path) ? nil : "Permission denied in \(ancestor.path)"
        }
        ancestor.deleteLastPathComponent()
    }
    return nil
}

/// An error whose message is ``describe(_:)``'s: what `lumen` exits with.
struct DescribedError: Error, LocalizedError, CustomStringConvertible {
    let message: String
    var errorDescription: String? { message }
    var description: String { message }
}

extension ParsableCommand {
    /// `main()`, with Foundation's errors described in words (and image decoding
    /// errors with the flag that helps); ArgumentParser's own
    /// errors (usage, `--help`, exit codes) pass through unchanged.
    static func mainDescribingErrors() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ImageDecodingError {
            exit(withError: DescribedError(message: describe(error)))
        } catch let error as NSError where error.domain == NSCocoaErrorDomain {
            exit(withError: DescribedError(message: describe(error)))
        } catch {
            exit(withError: error)
        }
    }
}
