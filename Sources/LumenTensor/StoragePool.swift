import Foundation
import Synchronization

/// A cache of freed large tensor buffers, by size class.
///
/// glibc serves allocations above a few megabytes with fresh `mmap`s and returns
/// them on free, so every large tensor costs a page fault per 4 KiB on first
/// touch; in a training step that allocates the same activations every time, the
/// faults took more time than the arithmetic (measured: 15 s of system time
/// against 8 s of user time for two Zero-DCE++ steps). Buffers of at least
/// ``minimumPooledCount`` floats are rounded up to a size class (1/8 steps of a
/// power of two, so at most 12.5% is wasted) and kept for reuse, up to
/// ``limitBytes`` in all; the least recently freed are released first. Memory a
/// tensor held thus stays with the process until reused: peak memory is that of
/// the largest step.
final class StoragePool: Sendable {
    static let shared = StoragePool()

    /// Smaller buffers go straight to `malloc`, which caches them itself.
    static let minimumPooledCount = 1 << 16
    /// The most bytes kept in the cache.
    let limitBytes: Int

    /// Buffers are held as addresses (`Int`) so the state is plainly `Sendable`.
    private struct State: ~Copyable {
        var free: [Int: [Int]] = [:]
        var order: [(capacity: Int, address: Int)] = []
        var cachedBytes = 0
    }
    private let state = Mutex(State())
    /// Bytes of the buffers handed out and not yet given back, and their highest value.
    private let live = Atomic<Int>(0), peak = Atomic<Int>(0)

    /// - Parameter limitBytes: defaults to a quarter of physical memory, at most 8 GiB.
    init(limitBytes: Int = min(Int(ProcessInfo.processInfo.physicalMemory / 4), 8 << 30)) { self.limitBytes = limitBytes }

    /// A buffer of at least `count` floats, and its real capacity.
    func take(count: Int) -> (UnsafeMutablePointer<Float>, capacity: Int) {
        let capacity = Self.sizeClass(max(count, 1))
        peak.max(live.add(capacity * 4, ordering: .relaxed).newValue, ordering: .relaxed)
        if capacity >= Self.minimumPooledCount {
            let reused: Int? = state.withLock { state in
                guard var list = state.free[capacity], let address = list.popLast() else { return nil }
                state.free[capacity] = list
                state.cachedBytes -= capacity * 4
                if let index = state.order.lastIndex(where: { $0.address == address }) { state.order.remove(at: index) }
                return address
            }
            if let reused, let pointer = UnsafeMutablePointer<Float>(bitPattern: reused) { return (pointer, capacity) }
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<Float>.stride, alignment: 64)
        return (raw.bindMemory(to: Float.self, capacity: capacity), capacity)
    }

    /// Returns a buffer obtained from ``take(count:)``.
    func give(_ pointer: UnsafeMutablePointer<Float>, capacity: Int) {
        live.subtract(capacity * 4, ordering: .relaxed)
        guard capacity >= Self.minimumPooledCount, capacity * 4 <= limitBytes else { pointer.deallocate(); return }
        let address = Int(bitPattern: pointer)
        let evicted: [Int] = state.withLock { state in
            state.free[capacity, default: []].append(address)
            state.order.append((capacity, address))
            state.cachedBytes += capacity * 4
            var evicted: [Int] = []
            while state.cachedBytes > limitBytes, !state.order.isEmpty {
                let oldest = state.order.removeFirst()
                if let index = state.free[oldest.capacity]?.firstIndex(of: oldest.address) {
                    state.free[oldest.capacity]?.remove(at: index)
                }
                state.cachedBytes -= oldest.capacity * 4
                evicted.append(oldest.address)
            }
            return evicted
        }
        for address in evicted { UnsafeMutableRawPointer(bitPattern: address)?.deallocate() }
    }

    /// Bytes held by live tensors now.
    var liveBytes: Int { live.load(ordering: .relaxed) }

    /// The most bytes live tensors held at once since the last ``resetPeak()``.
    var peakBytes: Int { peak.load(ordering: .relaxed) }

    /// Starts a new peak from the bytes held now.
    func resetPeak() { peak.store(live.load(ordering: .relaxed), ordering: .relaxed) }

    /// Releases every cached buffer.
    func drain() {
        let all: [Int] = state.withLock { state in
            defer { state = State() }
            return state.order.map(\.address)
        }
        for address in all { UnsafeMutableRawPointer(bitPattern: address)?.deallocate() }
    }

    /// `count` rounded up to a size class: small sizes exactly, large ones to the
    /// next multiple of 1/8 of their power of two.
    static func sizeClass(_ count: Int) -> Int {
        guard count >= minimumPooledCount else { return count }
        let step = (1 << (Int.bitWidth - count.leadingZeroBitCount - 1)) / 8
        return (count + step - 1) / step * step
    }
}
