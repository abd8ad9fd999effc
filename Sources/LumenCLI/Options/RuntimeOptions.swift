import ArgumentParser
import Foundation
import LumenIO
import LumenTensor

/// Options that shape how work runs, shared by the commands that compute.
struct RuntimeOptions: ParsableArguments {
    @Option(help: "Threads for the compute kernels (default: all cores, or LUMEN_THREADS).")
    var threads: Int?

    @Option(help: ArgumentHelp(
        "Largest image to decode, in pixels (default: what this machine's memory allows, at most 2^28).",
        discussion: "Larger images are refused by name before their pixels are allocated."))
    var maxPixels: Int?

    /// More threads than this only costs memory and scheduling.
    static let maximumThreads = 1024

    func validate() throws {
        if let threads, !(1...Self.maximumThreads).contains(threads) {
            throw ValidationError("--threads must be in 1...\(Self.maximumThreads), got \(threads)")
        }
        if let maxPixels, !(1...Image.maximumPixelsCeiling).contains(maxPixels) {
            throw ValidationError("--max-pixels must be in 1...\(Image.maximumPixelsCeiling), got \(maxPixels)")
        }
        // The library ignores a malformed LUMEN_THREADS; the tool says so instead.
        if let value = ProcessInfo.processInfo.environment["LUMEN_THREADS"],
           Int(value).map({ !(1...Self.maximumThreads).contains($0) }) ?? true {
            throw ValidationError("LUMEN_THREADS must be a whole number in 1...\(Self.maximumThreads), got '\(value)'")
        }
    }

    /// Applies the settings to the engine and the decoders.
    func apply() {
        if let threads { Runtime.threadCount = threads }
        Image.maximumPixels = maxPixels ?? Image.memoryBoundedMaximumPixels
    }
}
