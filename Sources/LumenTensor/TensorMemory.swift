/// How much memory tensors hold: the buffers of live tensors (float32 and
/// bfloat16), counted as allocated, excluding the pool's cache of free ones.
public enum TensorMemory {
    /// Bytes held by live tensors now.
    public static var liveBytes: Int { StoragePool.shared.liveBytes }

    /// The most bytes live tensors held at once since the last ``resetPeak()``.
    public static var peakBytes: Int { StoragePool.shared.peakBytes }

    /// Starts measuring a new peak from now.
    public static func resetPeak() { StoragePool.shared.resetPeak() }
}
