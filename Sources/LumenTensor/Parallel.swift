import Dispatch
import Foundation
import Synchronization

/// Process-wide settings of the compute engine.
public enum Runtime {
    private static let configuredThreads = Atomic<Int>(0)

    /// How many threads kernels split work over. Defaults to the `LUMEN_THREADS`
    /// environment variable, else the number of active processors.
    public static var threadCount: Int {
        get {
            let configured = configuredThreads.load(ordering: .relaxed)
            return configured > 0 ? configured : defaultThreadCount
        }
        set {
            precondition(newValue >= 1, "thread count must be at least 1")
            configuredThreads.store(newValue, ordering: .relaxed)
        }
    }

    private static let defaultThreadCount: Int = {
        if let value = ProcessInfo.processInfo.environment["LUMEN_THREADS"], let count = Int(value), count > 0 {
            return count
        }
        return ProcessInfo.processInfo.activeProcessorCount
    }()
}

/// Splits `0 ..< count` into contiguous chunks and runs `body` on each, over up to
/// ``Runtime/threadCount`` threads (`DispatchQueue.concurrentPerform`).
///
/// The partition depends only on `count` and `grain`, never on the thread count,
/// so kernels whose chunks write disjoint outputs give identical results with any
/// number of threads.
/// - Parameter grain: the smallest chunk worth a task; small totals run inline.
public func parallelFor(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let threads = Runtime.threadCount
    let chunkSize = max(grain, (count + 4 * 16 - 1) / (4 * 16))
    let chunks = (count + chunkSize - 1) / chunkSize
    if threads == 1 || chunks == 1 {
        for chunk in 0..<chunks { body(chunk * chunkSize ..< min(count, (chunk + 1) * chunkSize)) }
        return
    }
    let next = Atomic<Int>(0)
    withoutActuallyEscaping(body) { body in
        // Kernels capture raw pointers to disjoint output regions, which Swift cannot
        // prove safe to share; the chunking above is what makes it so.
        let shared = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: min(threads, chunks)) { _ in
            while true {
                let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard chunk < chunks else { return }
                shared.value(chunk * chunkSize ..< min(count, (chunk + 1) * chunkSize))
            }
        }
    }
}

/// Carries a value into a `@Sendable` closure when the caller guarantees that
/// the concurrent uses do not race.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
