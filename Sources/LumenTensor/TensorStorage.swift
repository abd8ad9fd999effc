import CLumenKernels
import Synchronization

/// A 64-byte aligned, heap-allocated float buffer that a tensor owns, which a
/// mixed-precision training step may hold as bfloat16 instead.
///
/// Alignment lets the SIMD kernels use aligned loads on row starts. Large buffers
/// come from and return to ``StoragePool``, so the same shapes allocated step after
/// step (training, tiles) reuse memory instead of paying page faults each time.
/// The contents of a new storage are undefined: every op writes all of its output.
///
/// Under ``withBFloat16Activations(_:)`` the autograd graph stores the results of
/// convolutions and what follows them as bfloat16, half the size
/// (``storeAsBFloat16()``): the float buffer is released and the values kept
/// rounded to bfloat16. ``pointer`` decodes them again (exactly) when an op reads
/// them, and ``releaseDecodedCopy()`` drops that float copy once the op is done, so
/// such an activation is float32 only while an op works on it.
final class TensorStorage: @unchecked Sendable {
    let count: Int

    /// Which buffers hold the values. At least one does; when both do, the floats
    /// are the exact decoding of the halves.
    private struct Buffers {
        var floats: UnsafeMutablePointer<Float>?
        var floatCapacity = 0
        var halves: UnsafeMutablePointer<UInt16>?
        var halfCapacity = 0  // in floats of the pool
        /// Parameters and inputs stay float32: a reshaped view shares their storage.
        var isPinned = false
    }
    private let buffers: Mutex<Buffers>

    init(count: Int) {
        self.count = count
        let (floats, capacity) = StoragePool.shared.take(count: count)
        buffers = Mutex(Buffers(floats: floats, floatCapacity: capacity))
    }

    deinit {
        buffers.withLock { buffers in
            if let floats = buffers.floats { StoragePool.shared.give(floats, capacity: buffers.floatCapacity) }
            if let halves = buffers.halves { StoragePool.shared.give(Self.floatPointer(halves), capacity: buffers.halfCapacity) }
        }
    }

    /// The values as float32, decoded first if the storage holds bfloat16 only.
    /// Valid until the next ``storeAsBFloat16()`` or ``releaseDecodedCopy()``, which
    /// only the autograd recording calls, after the op that reads the values.
    var pointer: UnsafeMutablePointer<Float> {
        buffers.withLock { buffers in
            if let floats = buffers.floats { return floats }
            let (floats, capacity) = StoragePool.shared.take(count: count)
            lumen_bf16_decode(buffers.halves!, floats, count)
            (buffers.floats, buffers.floatCapacity) = (floats, capacity)
            return floats
        }
    }

    var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    /// Whether the values are bfloat16 numbers (stored as such, or decoded from them).
    var holdsBFloat16Values: Bool { buffers.withLock { $0.halves != nil } }

    /// Keeps the values as bfloat16 only, rounding them the first time, unless the
    /// storage is pinned or too small to matter (``MixedPrecision/minimumStoredCount``).
    func storeAsBFloat16() {
        guard count >= MixedPrecision.minimumStoredCount else { return }
        buffers.withLock { buffers in
            guard !buffers.isPinned, let floats = buffers.floats else { return }
            if buffers.halves == nil {
                let (raw, capacity) = StoragePool.shared.take(count: (count + 1) / 2)
                let halves = UnsafeMutableRawPointer(raw).bindMemory(to: UInt16.self, capacity: count)
                lumen_bf16_encode(floats, halves, count)
                (buffers.halves, buffers.halfCapacity) = (halves, capacity)
            }
            StoragePool.shared.give(floats, capacity: buffers.floatCapacity)
            buffers.floats = nil
        }
    }

    /// Releases the float copy ``pointer`` decoded, when the values are stored as bfloat16.
    func releaseDecodedCopy() {
        buffers.withLock { buffers in
            guard !buffers.isPinned, buffers.halves != nil, let floats = buffers.floats else { return }
            StoragePool.shared.give(floats, capacity: buffers.floatCapacity)
            buffers.floats = nil
        }
    }

    /// Keeps the storage float32 from now on: it belongs to a parameter or an input.
    func pin() {
        buffers.withLock { buffers in
            guard !buffers.isPinned else { return }
            buffers.isPinned = true
            if buffers.floats == nil {
                let (floats, capacity) = StoragePool.shared.take(count: count)
                lumen_bf16_decode(buffers.halves!, floats, count)
                (buffers.floats, buffers.floatCapacity) = (floats, capacity)
            }
        }
    }

    /// Called before the values are overwritten in place: any bfloat16 copy is stale.
    func prepareForWriting() -> UnsafeMutablePointer<Float> {
        let floats = pointer
        buffers.withLock { buffers in
            if let halves = buffers.halves { StoragePool.shared.give(Self.floatPointer(halves), capacity: buffers.halfCapacity) }
            buffers.halves = nil
        }
        return floats
    }

    private static func floatPointer(_ halves: UnsafeMutablePointer<UInt16>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(halves).assumingMemoryBound(to: Float.self)
    }
}
