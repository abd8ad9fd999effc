import Foundation

/// How much memory a command may plan to use: 90% of the machine's, leaving the
/// rest to the system. Estimates above it are refused before anything is allocated.
enum MemoryBudget {
    /// The machine's memory, in bytes.
    static var physicalBytes: Double { Double(ProcessInfo.processInfo.physicalMemory) }

    /// What a command may use, in bytes.
    static var usableBytes: Double { physicalBytes * 0.9 }

    /// `bytes` in GiB, for messages.
    static func gibibytes(_ bytes: Double) -> Double { bytes / 1_073_741_824 }
}
