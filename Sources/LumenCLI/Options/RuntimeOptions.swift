import ArgumentParser
import Foundation
import LumenTensor

/// Options that shape how work runs, shared by the commands that compute.
struct RuntimeOptions: ParsableArguments {
    @Option(help: "Threads for the compute kernels (default: all cores, or LUMEN_THREADS).")
    var threads: Int?

    /// More threads than this only costs memory and scheduling.
    static let maximumThreads = 1024

    func validate() throws {
        if let threads, !(1...Self.maximumThreads).contains(threads) {
            throw ValidationError("--threads must be in 1...\(Self.maximumThreads), got \(threads)")
        }
        // The library ignores a malformed LUMEN_THREADS; the tool says so instead.
        if let value = ProcessInfo.processInfo.environment["LUMEN_THREADS"],
           Int(value).map({ !(1...Self.maximumThreads).contains($0) }) ?? true {
            throw ValidationError("LUMEN_THREADS must be a whole number in 1...\(Self.maximumThreads), got '\(value)'")
        }
    }

    /// Applies the settings to the engine.
    func apply() {
        if let threads { Runtime.threadCount = threads }
    }
}
