/// The typed storage classes that persistent ids name (`torch.FloatStorage`), with
/// the element type their little-endian bytes decode as.
///
/// Zip checkpoints written by PyTorch 2 still use these legacy names for typed storages.
enum TorchStorageType: String, CaseIterable {
    case float = "FloatStorage"
    case double = "DoubleStorage"
    case half = "HalfStorage"
    case bfloat16 = "BFloat16Storage"
    /// int64, as BatchNorm's `num_batches_tracked`.
    case long = "LongStorage"
    case int = "IntStorage"

    /// The element conversion to Float32, shared with safetensors.
    var elementType: SafetensorsDType {
        switch self {
        case .float: .float32
        case .double: .float64
        case .half: .float16
        case .bfloat16: .bfloat16
        case .long: .int64
        case .int: .int32
        }
    }
}

/// A storage as a persistent id names it: `('storage', torch.FloatStorage, key,
/// location, numel[, view_metadata])`. The location (`cuda:0`) is ignored: every
/// tensor is loaded on the CPU.
struct TorchStorageReference {
    /// The record name: `<archive>/data/<key>` in zip files, the key in the legacy storage list.
    let key: String
    let type: TorchStorageType
    /// Legacy files may name a view of a storage, `(view_key, offset, size)` in
    /// elements; the bytes still belong to `key`. Zero and `nil` otherwise.
    let viewOffset: Int
    let viewCount: Int?
}
