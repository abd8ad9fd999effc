import ArgumentParser
import LumenTensor

/// Options that shape how work runs, shared by the commands that compute.
struct RuntimeOptions: ParsableArguments {
    @Option(help: "Threads for the compute kernels (default: all cores, or LUMEN_THREADS).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    /// Applies the settings to the engine.
    func apply() {
        if let threads { Runtime.threadCount = threads }
    }
}
