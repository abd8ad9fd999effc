import Foundation
import LumenTensor

/// Imports tensors from PyTorch checkpoints written by `torch.save`, in the zip
/// format (PyTorch 1.6 and later) and the legacy format before it.
///
/// Only state dictionaries are read: the pickled object must be a dict of
/// tensors (`model.state_dict()`), or a dict holding exactly one such dict among
/// other entries (`{"state_dict": ..., "epoch": 99}`), which is returned instead.
/// Objects that would need Python code, such as a whole pickled `nn.Module` or an
/// `argparse.Namespace` of training options, are refused without running anything.
///
/// Every tensor is returned as a contiguous Float32 tensor: float16, bfloat16 and
/// float64 values are converted (float64 rounded to nearest), and integer tensors
/// such as BatchNorm's `num_batches_tracked` become Floats, exact up to 2^24.
///
/// ```swift
/// let weights = try TorchCheckpoint.load(contentsOf: URL(fileURLWithPath: "Epoch99.pth"))
/// let conv1 = weights["e_conv1.weight"]   // [32, 3, 3, 3]
/// ```
public enum TorchCheckpoint {
    /// Reads the tensors of the checkpoint at `url`.
    ///
    /// - Parameter url: a file URL of a `.pth` / `.pt` file.
    /// - Returns: the state dictionary, keyed by PyTorch parameter name (`e_conv1.weight`).
    /// - Throws: ``CheckpointError`` naming the file's last path component.
    public static func load(contentsOf url: URL) throws(CheckpointError) -> [String: Tensor] {
        try read(contentsOf: url).tensors
    }

    /// Reads the tensors of the checkpoint at `url`, and which of them were stored as
    /// integers (`LongStorage`, `IntStorage`): counters such as batch norm's
    /// `num_batches_tracked`, never learnable weights.
    /// - Throws: ``CheckpointError`` naming the file's last path component.
    public static func read(contentsOf url: URL) throws(CheckpointError) -> (tensors: [String: Tensor], integerKeys: Set<String>) {
        let (data, name) = try readFileContents(url) { CheckpointError.unreadable(file: $0, reason: $1) }
        return try decodeWithTypes(data, name: name)
    }

    /// Reads the tensors of a checkpoint held in memory.
    ///
    /// - Parameters:
    ///   - data: the complete file contents.
    ///   - name: the name used in error messages, typically the file name.
    /// - Returns: the state dictionary, keyed by PyTorch parameter name.
    /// - Throws: ``CheckpointError`` naming `name`.
    public static func decode(_ data: Data, name: String) throws(CheckpointError) -> [String: Tensor] {
        try decodeWithTypes(data, name: name).tensors
    }

    /// ``decode(_:name:)`` and the keys of the tensors stored as integers.
    static func decodeWithTypes(_ data: Data, name: String) throws(CheckpointError) -> (tensors: [String: Tensor], integerKeys: Set<String>) {
        let data = data.startIndex == 0 ? data : Data(data)
        let containers = PickleContainers()
        defer { containers.release() }
        let contents: (root: PickleValue, storages: [String: Data])
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            contents = try readZip(data, file: name, containers: containers)
        } else if isLegacy(data) {
            contents = try readLegacy(data, file: name, containers: containers)
        } else {
            throw .notACheckpoint(file: name, firstBytes: Array(data.prefix(8)))
        }
        var tensors: [String: Tensor] = [:], integerKeys = Set<String>()
        for (key, record) in try stateDictionary(in: contents.root, file: name) {
            guard let bytes = contents.storages[record.storage.key] else {
                throw .missingStorage(file: name, key: record.storage.key)
            }
            tensors[key] = try record.tensor(named: key, storageBytes: bytes, file: name)
            if record.storage.type.elementType.isInteger { integerKeys.insert(key) }
        }
        return (tensors, integerKeys)
    }

    /// The zip format: `<archive>/data.pkl` holds the pickle, `<archive>/data/<key>`
    /// each storage's raw bytes. The archive folder is named after the file that
    /// was first saved, so it is found rather than assumed.
    private static func readZip(_ data: Data, file: String, containers: PickleContainers)
        throws(CheckpointError) -> (PickleValue, [String: Data])
    {
        let archive: ZipArchive
        do { archive = try ZipArchive(data: data, name: file) } catch { throw .archive(error) }
        guard let pickle = archive.entries.first(where: { entry in
            let components = entry.name.split(separator: "/", omittingEmptySubsequences: false)
            return components.count == 2 && components[1] == "data.pkl"
        }) else { throw .missingPickle(file: file) }
        let prefix = String(pickle.name.dropLast("data.pkl".count))
        func contents(of entry: String) throws(CheckpointError) -> Data {
            do { return try archive.contents(of: entry) } catch { throw .archive(error) }
        }
        if archive.entries.contains(where: { $0.name == prefix + "byteorder" }) {
            let order = String(decoding: try contents(of: prefix + "byteorder"), as: UTF8.self)
            guard order == "little" else { throw .unsupportedByteOrder(file: file, order: order) }
        }
        var machine = PickleMachine(bytes: Data(try contents(of: pickle.name)), file: file, containers: containers)
        let root = try machine.nextPickle()
        var storages: [String: Data] = [:]
        for entry in archive.entries where entry.name.hasPrefix(prefix + "data/") {
            storages[String(entry.name.dropFirst(prefix.count + "data/".count))] = try contents(of: entry.name)
        }
        return (root, storages)
    }
}
