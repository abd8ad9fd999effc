/// A 64-byte aligned, heap-allocated float buffer that a tensor owns.
///
/// Alignment lets the SIMD kernels use aligned loads on row starts. Large buffers
/// come from and return to ``StoragePool``, so the same shapes allocated step after
/// step (training, tiles) reuse memory instead of paying page faults each time.
/// The contents of a new storage are undefined: every op writes all of its output.
final class TensorStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    private let capacity: Int

    init(count: Int) {
        self.count = count
        (pointer, capacity) = StoragePool.shared.take(count: count)
    }

    deinit { StoragePool.shared.give(pointer, capacity: capacity) }

    var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }
}
