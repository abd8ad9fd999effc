import Foundation

/// What a run of the `lumen` binary produced.
public struct LumenRun: Sendable {
    /// The exit status.
    public let status: Int32
    /// Everything written to standard output.
    public let standardOutput: String
    /// Everything written to standard error.
    public let standardError: String
}

/// The built `lumen` executable: it sits beside the test bundle in the build
/// products folder (`.build/<configuration>/`).
public let lumenExecutable: URL = {
    let bundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL
        ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    return bundle.deletingLastPathComponent().appendingPathComponent("lumen")
}()

/// Runs the built `lumen` with `arguments` and waits for it to finish.
/// - Parameters:
///   - directory: the working directory, or the current one.
///   - environment: extra environment variables.
public func runLumen(_ arguments: [String], in directory: URL? = nil,
                     environment: [String: String] = [:]) throws -> LumenRun {
    let process = Process()
    process.executableURL = lumenExecutable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    // Read both pipes while the process runs, so a chatty child cannot block on a full pipe.
    let errorData = UncheckedBox<Data>()
    let reader = Thread { errorData.value = error.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while errorData.value == nil { Thread.sleep(forTimeInterval: 0.01) }
    return LumenRun(status: process.terminationStatus,
                    standardOutput: String(decoding: outputData, as: UTF8.self),
                    standardError: String(decoding: errorData.value ?? Data(), as: UTF8.self))
}

/// Starts the built `lumen` with `arguments` and returns at once, its output
/// discarded: for tests that signal or kill the process.
public func startLumen(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = lumenExecutable
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

/// A value written by one thread and read by another after it is set.
private final class UncheckedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?
    var value: Value? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
