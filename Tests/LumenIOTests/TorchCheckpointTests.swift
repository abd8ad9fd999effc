import Foundation
@testable import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// An official checkpoint and the NumPy archive holding the same values under the same keys.
struct OfficialCheckpoint: Sendable, CustomTestStringConvertible {
    let file: String, reference: String, keyCount: Int
    var testDescription: String { file }
}

/// Whether two tensors have the same shape and bit-identical values.
private func isBitIdentical(_ tensor: Tensor, _ array: NumPyArray) -> Bool {
    tensor.shape.dimensions == array.shape && tensor.scalars.map(\.bitPattern) == array.floats.map(\.bitPattern)
}

@Suite struct TorchCheckpointTests {
    @Test(.tags(.golden), .fixtures(Fixtures.officialWeights("zero-dce-epoch99.pth"), Fixtures.officialWeights("zero-dce-pp-epoch99.pth"),
                                    Fixtures.reference("zerodce_weights.npz"), Fixtures.reference("zerodcepp_weights.npz")), arguments: [
        OfficialCheckpoint(file: "zero-dce-epoch99.pth", reference: "zerodce_weights.npz", keyCount: 14),
        OfficialCheckpoint(file: "zero-dce-pp-epoch99.pth", reference: "zerodcepp_weights.npz", keyCount: 28),
    ])
    func loadsZeroDCECheckpointsBitExactly(_ checkpoint: OfficialCheckpoint) throws {
        let tensors = try TorchCheckpoint.load(contentsOf: try Fixtures.require(Fixtures.officialWeights(checkpoint.file)))
        let reference = try NumPyArchive.load(contentsOf: try Fixtures.require(Fixtures.reference(checkpoint.reference)))
        #expect(tensors.count == checkpoint.keyCount)
        #expect(Set(tensors.keys) == Set(reference.keys))
        for (key, array) in reference {
            let tensor = try #require(tensors[key], "missing \(key)")
            #expect(isBitIdentical(tensor, array), "\(key) differs")
        }
    }

    /// SCI checkpoints also hold `*.blocks.N.*` keys: the same modules reached through
    /// a second path (`enhance.blocks.0.1.weight` is `enhance.conv.1.weight`), which
    /// the reference archives leave out.
    @Test(.tags(.golden), .fixtures(Fixtures.officialWeights("sci-easy.pt"), Fixtures.officialWeights("sci-medium.pt"),
                                    Fixtures.officialWeights("sci-difficult.pt"), Fixtures.reference("sci_easy_weights.npz"),
                                    Fixtures.reference("sci_medium_weights.npz"), Fixtures.reference("sci_difficult_weights.npz")),
          arguments: ["easy", "medium", "difficult"])
    func loadsSCICheckpointsBitExactly(level: String) throws {
        let tensors = try TorchCheckpoint.load(contentsOf: try Fixtures.require(Fixtures.officialWeights("sci-\(level).pt")))
        let reference = try NumPyArchive.load(contentsOf: try Fixtures.require(Fixtures.reference("sci_\(level)_weights.npz")))
        #expect(reference.count == 34)
        for (key, array) in reference {
            let tensor = try #require(tensors[key], "missing \(key)")
            #expect(isBitIdentical(tensor, array), "\(key) differs")
        }
        let aliases = tensors.keys.filter { reference[$0] == nil }
        #expect(aliases.count == 49)
        for alias in aliases {
            let parts = alias.split(separator: ".").map(String.init)
            try #require(parts.count > 3 && parts[1] == "blocks", "unexpected key \(alias)")
            let original = ([parts[0], parts[0] == "enhance" ? "conv" : "convs"] + parts[3...]).joined(separator: ".")
            let array = try #require(reference[original], "\(alias) aliases no reference key")
            #expect(isBitIdentical(try #require(tensors[alias]), array), "\(alias) differs from \(original)")
        }
    }

    @Test(.tags(.golden), .fixtures(Fixtures.officialWeights("zero-dce-epoch99.pth"), Fixtures.officialWeights("zero-dce-pp-epoch99.pth")),
          arguments: [
        ("zero-dce-pp-epoch99.pth", [100, 30_000, 52_000]), ("zero-dce-epoch99.pth", [20, 150, 1000, 5000, 319_000]),
    ])
    func reportsCutCheckpointsAsTruncated(file: String, lengths: [Int]) throws {
        let data = try Data(contentsOf: try Fixtures.require(Fixtures.officialWeights(file)))
        try withCheckpointDirectory { directory in
            for length in lengths {
                let url = directory.appendingPathComponent(file)
                try data.prefix(length).write(to: url)
                let error = try #require(throws: CheckpointError.self) { try TorchCheckpoint.load(contentsOf: url) }
                let isTruncated = switch error {
                case .truncated, .archive(.truncated): true
                default: false
                }
                #expect(isTruncated, "\(length) bytes: \(error)")
                #expect(error.localizedDescription.hasPrefix("\(file): truncated"), "\(error.localizedDescription)")
            }
        }
    }

    @Test(arguments: [CheckpointFormat.zip, .legacy])
    func refusesForeignGlobalsNamingFileAndGlobal(format: CheckpointFormat) throws {
        // os.system("ls"): GLOBAL 'os system', the argument tuple, REDUCE.
        let pickle = PickleBytes().proto().global("os", "system").string("ls").tuple1().reduce().stop()
        try withCheckpointDirectory { directory in
            let url = directory.appendingPathComponent("model.pth")
            try format.checkpoint(pickle).write(to: url)
            let error = CheckpointError.forbiddenGlobal(file: "model.pth", module: "os", name: "system")
            #expect(throws: error) { try TorchCheckpoint.load(contentsOf: url) }
            #expect(error.localizedDescription == "model.pth: refuses to load global os.system (only tensor state dictionaries are supported)")
        }
        let stacked = PickleBytes().proto(4).string("builtins").string("eval").stackGlobal().stop()
        #expect(throws: CheckpointError.forbiddenGlobal(file: "x.pt", module: "builtins", name: "eval")) {
            try TorchCheckpoint.decode(format.checkpoint(stacked), name: "x.pt")
        }
    }

    @Test func refusesEmptyAndForeignFiles() throws {
        try withCheckpointDirectory { directory in
            let empty = directory.appendingPathComponent("empty.pth")
            try Data().write(to: empty)
            #expect(throws: CheckpointError.notACheckpoint(file: "empty.pth", firstBytes: [])) { try TorchCheckpoint.load(contentsOf: empty) }
            #expect(CheckpointError.notACheckpoint(file: "empty.pth", firstBytes: []).localizedDescription
                    == "empty.pth: the file is empty, not a PyTorch checkpoint")
            let png = directory.appendingPathComponent("photo.pth")
            try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]).write(to: png)
            let error = CheckpointError.notACheckpoint(file: "photo.pth", firstBytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            #expect(throws: error) { try TorchCheckpoint.load(contentsOf: png) }
            #expect(error.localizedDescription.hasPrefix("photo.pth: not a PyTorch checkpoint (first bytes 89 50 4E 47"))
            let missing = directory.appendingPathComponent("missing.pth")
            #expect(throws: CheckpointError.self) { try TorchCheckpoint.load(contentsOf: missing) }
        }
    }

    @Test(arguments: [CheckpointFormat.zip, .legacy])
    func refusesUnknownOpcodesWithTheirOffset(format: CheckpointFormat) throws {
        // 0x8F is EMPTY_SET, valid Python but never in a state dict.
        var pickle = PickleBytes().proto()
        pickle.bytes.append(0x8F)
        let error = try #require(throws: CheckpointError.self) { try TorchCheckpoint.decode(format.checkpoint(pickle.stop()), name: "x.pth") }
        guard case .unsupportedOpcode("x.pth", 0x8F, let offset) = error else { Issue.record("\(error)"); return }
        #expect(error.localizedDescription == "x.pth: unsupported pickle opcode 0x8F at offset \(offset)")
    }
}

/// A fresh empty directory, removed after `body`.
private func withCheckpointDirectory(_ body: (URL) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-checkpoint-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try body(directory)
}

/// Pickle bytes written opcode by opcode, as `torch.save` would (protocol 2).
struct PickleBytes {
    var bytes: [UInt8] = []

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
    func op(_ opcode: UInt8, _ arguments: [UInt8] = []) -> Self { Self(bytes: bytes + [opcode] + arguments) }
    func proto(_ version: UInt8 = 2) -> Self { op(0x80, [version]) }
    func global(_ module: String, _ name: String) -> Self { op(0x63, Array("\(module)\n\(name)\n".utf8)) }
    func string(_ string: String) -> Self { op(0x58, Self.littleEndian(UInt32(string.utf8.count)) + Array(string.utf8)) }
    func int(_ value: Int) -> Self { op(0x4A, Self.littleEndian(Int32(value))) }
    /// `LONG1` with 8 bytes, for values beyond `BININT`'s 32 bits.
    func long(_ value: Int) -> Self { op(0x8A, [8] + Self.littleEndian(Int64(value))) }
    func ints(_ values: [Int]) -> Self { values.reduce(mark()) { Int32(exactly: $1) == nil ? $0.long($1) : $0.int($1) }.tuple() }
    func mark() -> Self { op(0x28) }
    func tuple() -> Self { op(0x74) }
    func tuple1() -> Self { op(0x85) }
    func reduce() -> Self { op(0x52) }
    func stackGlobal() -> Self { op(0x93) }
    func setItem() -> Self { op(0x73) }
    func setItems() -> Self { op(0x75) }
    func stop() -> Self { op(0x2E) }
    func orderedDict() -> Self { global("collections", "OrderedDict").op(0x29).reduce() }

    /// `key`, then its tensor.
    func tensor(_ key: String, storage: String, type: String = "FloatStorage", offset: Int = 0,
                size: [Int], stride: [Int], view: (key: String, offset: Int, count: Int)? = nil, legacy: Bool) -> Self {
        string(key).rebuiltTensor(storage: storage, type: type, offset: offset, size: size, stride: stride, view: view, legacy: legacy)
    }

    /// `_rebuild_tensor_v2((storage persistent id), offset, size, stride, False, OrderedDict())`.
    func rebuiltTensor(storage: String, type: String = "FloatStorage", offset: Int = 0,
                       size: [Int], stride: [Int], view: (key: String, offset: Int, count: Int)? = nil, legacy: Bool) -> Self {
        var id = global("torch._utils", "_rebuild_tensor_v2").mark()
            .mark().string("storage").global("torch", type).string(storage).string("cpu").int(0)
        if let view { id = id.mark().string(view.key).int(view.offset).int(view.count).tuple() } else if legacy { id = id.op(0x4E) }
        return id.tuple().op(0x51).int(offset).ints(size).ints(stride).op(0x89).orderedDict().tuple().reduce()
    }
}

/// One storage of a hand-built checkpoint: its key, element count and little-endian bytes.
struct StorageBytes { let key: String, count: Int, bytes: [UInt8] }

private func floatStorage(_ key: String, _ values: [Float]) -> StorageBytes {
    StorageBytes(key: key, count: values.count, bytes: values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
}

/// The two container formats of `torch.save`.
enum CheckpointFormat: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case zip, legacy
    var testDescription: String { rawValue }

    func checkpoint(_ pickle: PickleBytes, storages: [StorageBytes] = [], method: UInt16 = 0) -> Data {
        switch self {
        case .zip:
            return zipArchiveBytes([("model/data.pkl", pickle.bytes), ("model/byteorder", Array("little".utf8))]
                + storages.map { ("model/data/\($0.key)", $0.bytes) } + [("model/version", [0x33, 0x0A])], method: method)
        case .legacy:
            let magic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]
            let version = PickleBytes().proto().op(0x4D, [0xE9, 0x03]).stop()
            let systemInfo = PickleBytes().proto().op(0x7D).string("little_endian").op(0x88).setItem().stop()
            let keys = storages.reduce(PickleBytes().proto().op(0x5D).mark()) { $0.string($1.key) }.op(0x65).stop()
            let data = storages.flatMap { withUnsafeBytes(of: UInt64($0.count).littleEndian, Array.init) + $0.bytes }
            return Data(magic + version.bytes + systemInfo.bytes + pickle.bytes + keys.bytes + data)
        }
    }
}

@Suite struct TorchCheckpointRebuildTests {
    let twelve = floatStorage("0", (0 ..< 12).map(Float.init))

    @Test(arguments: CheckpointFormat.allCases)
    func gathersStridedTensors(format: CheckpointFormat) throws {
        let legacy = format == .legacy
        let pickle = PickleBytes().proto().orderedDict().mark()
            .tensor("plain", storage: "0", size: [3, 4], stride: [4, 1], legacy: legacy)
            .tensor("transposed", storage: "0", size: [4, 3], stride: [1, 4], legacy: legacy)
            .tensor("sliced", storage: "0", offset: 5, size: [2, 1], stride: [3, 7], legacy: legacy)
            .tensor("scalar", storage: "0", offset: 11, size: [], stride: [], legacy: legacy)
            .tensor("empty", storage: "0", size: [0, 3], stride: [3, 1], legacy: legacy)
            .setItems().stop()
        let tensors = try TorchCheckpoint.decode(format.checkpoint(pickle, storages: [twelve]), name: "x.pth")
        #expect(tensors["plain"]?.scalars == (0 ..< 12).map(Float.init))
        #expect(tensors["transposed"]?.shape.dimensions == [4, 3])
        #expect(tensors["transposed"]?.scalars == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        #expect(tensors["sliced"]?.scalars == [5, 8])
        #expect(tensors["scalar"]?.shape.dimensions == [] && tensors["scalar"]?.scalars == [11])
        #expect(tensors["empty"]?.shape.dimensions == [0, 3])
    }

    @Test(arguments: CheckpointFormat.allCases)
    func convertsEveryStorageType(format: CheckpointFormat) throws {
        func storage<T: FixedWidthInteger>(_ key: String, _ values: [T]) -> StorageBytes {
            StorageBytes(key: key, count: values.count, bytes: values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) })
        }
        let storages = [
            storage("h", [UInt16(0x3C00), 0xC100]), storage("b", [UInt16(0x3F80), 0xC020]),
            storage("d", [Double(0.1).bitPattern, Double(-2.5).bitPattern]), storage("l", [Int64(-7), 1 << 20]),
            storage("i", [Int32(-7), 1 << 20]),
        ]
        let types = ["h": "HalfStorage", "b": "BFloat16Storage", "d": "DoubleStorage", "l": "LongStorage", "i": "IntStorage"]
        let pickle = storages.reduce(PickleBytes().proto().orderedDict().mark()) {
            $0.tensor($1.key, storage: $1.key, type: types[$1.key]!, size: [2], stride: [1], legacy: format == .legacy)
        }.setItems().stop()
        let tensors = try TorchCheckpoint.decode(format.checkpoint(pickle, storages: storages), name: "x.pth")
        #expect(tensors["h"]?.scalars == [1, -2.5])
        #expect(tensors["b"]?.scalars == [1, -2.5])
        #expect(tensors["d"]?.scalars == [Float(0.1), -2.5])
        #expect(tensors["l"]?.scalars == [-7, 1_048_576])
        #expect(tensors["i"]?.scalars == [-7, 1_048_576])
    }

    @Test func unwrapsParametersNestedDictsAndMetadata() throws {
        // {"state_dict": OrderedDict(w=Parameter(...)) with _metadata, "epoch": 3}
        let pickle = PickleBytes().proto().op(0x7D).string("state_dict").orderedDict().string("w")
            .global("torch._utils", "_rebuild_parameter").mark()
            .rebuiltTensor(storage: "0", size: [2], stride: [1], legacy: false).op(0x89).orderedDict().tuple().reduce()
            .setItem()
            .op(0x7D).string("_metadata").orderedDict().setItem().op(0x62)
            .setItem().string("epoch").int(3).setItem().stop()
        let tensors = try TorchCheckpoint.decode(CheckpointFormat.zip.checkpoint(pickle, storages: [twelve]), name: "x.pth")
        #expect(Array(tensors.keys) == ["w"])
        #expect(tensors["w"]?.scalars == [0, 1])
    }

    @Test func refusesObjectsThatAreNotStateDicts() throws {
        let list = PickleBytes().proto().op(0x5D).stop()
        #expect(throws: CheckpointError.notAStateDict(file: "x.pth", reason: "the saved object is a list, not a dict")) {
            try TorchCheckpoint.decode(CheckpointFormat.zip.checkpoint(list), name: "x.pth")
        }
        let two = PickleBytes().proto().op(0x7D).mark()
            .string("a").orderedDict().tensor("w", storage: "0", size: [1], stride: [1], legacy: false).setItem()
            .string("b").orderedDict().tensor("w", storage: "0", size: [1], stride: [1], legacy: false).setItem()
            .setItems().stop()
        let error = try #require(throws: CheckpointError.self) {
            try TorchCheckpoint.decode(CheckpointFormat.zip.checkpoint(two, storages: [twelve]), name: "x.pth")
        }
        #expect(error.localizedDescription.contains("several entries hold dicts of tensors (a, b)"))
    }

    @Test(arguments: CheckpointFormat.allCases)
    func checksStoragesAgainstSizesAndStrides(format: CheckpointFormat) throws {
        let legacy = format == .legacy
        func load(storages: [StorageBytes]? = nil, _ tensor: (PickleBytes) -> PickleBytes) throws(CheckpointError) {
            let pickle = tensor(PickleBytes().proto().orderedDict()).setItem().stop()
            _ = try TorchCheckpoint.decode(format.checkpoint(pickle, storages: storages ?? [twelve]), name: "x.pth")
        }
        #expect(throws: CheckpointError.storageTooSmall(file: "x.pth", tensor: "w", storage: "0", requiredCount: 13, availableCount: 12)) {
            try load { $0.tensor("w", storage: "0", offset: 1, size: [12], stride: [1], legacy: legacy) }
        }
        #expect(throws: CheckpointError.storageTooSmall(file: "x.pth", tensor: "w", storage: "0", requiredCount: 100, availableCount: 12)) {
            try load { $0.tensor("w", storage: "0", size: [100], stride: [0], legacy: legacy) }
        }
        #expect(throws: CheckpointError.storageTooSmall(file: "x.pth", tensor: "w", storage: "0", requiredCount: .max, availableCount: 12)) {
            try load { $0.tensor("w", storage: "0", size: [1 << 40, 1 << 40], stride: [1 << 40, 1 << 40], legacy: legacy) }
        }
        #expect(throws: CheckpointError.missingStorage(file: "x.pth", key: "7")) {
            try load(storages: []) { $0.tensor("w", storage: "7", size: [1], stride: [1], legacy: legacy) }
        }
        #expect(throws: CheckpointError.unsupportedStorageType(file: "x.pth", name: "torch.ByteStorage")) {
            try load { $0.tensor("w", storage: "0", type: "ByteStorage", size: [1], stride: [1], legacy: legacy) }
        }
    }

    @Test func readsLegacyStorageViews() throws {
        let view = (key: "v", offset: 2, count: 3)
        func load(size: Int) throws(CheckpointError) -> [String: Tensor] {
            let pickle = PickleBytes().proto().orderedDict().tensor("w", storage: "0", size: [size], stride: [1], view: view, legacy: true).setItem().stop()
            return try TorchCheckpoint.decode(CheckpointFormat.legacy.checkpoint(pickle, storages: [twelve]), name: "x.pth")
        }
        #expect(try load(size: 3)["w"]?.scalars == [2, 3, 4])
        #expect(throws: CheckpointError.storageTooSmall(file: "x.pth", tensor: "w", storage: "0", requiredCount: 4, availableCount: 3)) {
            try load(size: 4)
        }
    }

    @Test func refusesCompressedEntriesAndMalformedPickles() throws {
        let pickle = PickleBytes().proto().orderedDict().stop()
        #expect(throws: CheckpointError.archive(.compressedEntry(file: "x.pth", entry: "model/byteorder", method: 8))) {
            try TorchCheckpoint.decode(CheckpointFormat.zip.checkpoint(pickle, method: 8), name: "x.pth")
        }
        for bad in [PickleBytes().proto().reduce().stop(), PickleBytes().proto().mark().setItems().stop(), PickleBytes().proto().op(0x68, [9]).stop(),
                    PickleBytes().proto().int(1).int(2).reduce().stop(), PickleBytes().proto().int(1).mark().op(0x85).stop()] {
            let error = try #require(throws: CheckpointError.self) { try TorchCheckpoint.decode(CheckpointFormat.zip.checkpoint(bad), name: "x.pth") }
            guard case .malformedPickle = error else { Issue.record("\(error)"); continue }
        }
    }

    /// 60,000 nested lists in 120 KB used to overflow the stack when the values
    /// were torn down. Plain nesting is refused at the depth limit; lists memoised
    /// empty and nested afterwards evade that count, and must still be released
    /// without recursion.
    @Test func refusesDeepNestingAndReleasesItWithoutRecursion() throws {
        let depth = 60_000
        func pickle(_ body: [UInt8]) -> PickleBytes { PickleBytes(bytes: PickleBytes().proto().bytes + body).stop() }
        let nested = pickle([UInt8](repeating: 0x5D, count: depth) + [UInt8](repeating: 0x61, count: depth))
        let error = try #require(throws: CheckpointError.self) {
            try TorchCheckpoint.decode(CheckpointFormat.zip.checkpoint(nested), name: "deep.pth")
        }
        #expect(error.localizedDescription.contains("nested deeper than 100 levels"), "\(error.localizedDescription)")

        let tuples = pickle([0x4E] + [UInt8](repeating: 0x85, count: depth))
        #expect(throws: CheckpointError.self) { try TorchCheckpoint.decode(CheckpointFormat.zip.checkpoint(tuples), name: "deep.pth") }

        // Memoise `depth` empty lists, then append list i+1 to list i while each is
        // still shallow: every append sees depth 1, the chain ends 60,000 deep.
        // (There is no POP, so every list stays on the stack too.)
        var body: [UInt8] = []
        for index in 0 ..< depth { body += [0x5D, 0x72] + Self.littleEndian(UInt32(index)) }
        for index in 0 ..< depth - 1 {
            body += [0x6A] + Self.littleEndian(UInt32(index)) + [0x6A] + Self.littleEndian(UInt32(index + 1)) + [0x61]
        }
        body += [0x6A] + Self.littleEndian(0)
        #expect(throws: CheckpointError.notAStateDict(file: "deep.pth", reason: "the saved object is a list, not a dict")) {
            try TorchCheckpoint.decode(CheckpointFormat.zip.checkpoint(pickle(body)), name: "deep.pth")
        }
    }

    /// The teardown itself: a million-deep chain of lists and dicts, which freeing
    /// one container inside another would release a stack frame per level.
    @Test func releasesAMillionDeepChainWithoutRecursion() {
        let containers = PickleContainers()
        var value = PickleValue.none
        for level in 0 ..< 1_000_000 {
            let next = level.isMultiple(of: 2) ? containers.list() : containers.dict()
            switch next {
            case .list(let list): _ = list.append(value)
            case .dict(let dict): _ = dict.append(key: .int(level), value: value)
            default: Issue.record("containers make lists and dicts only")
            }
            value = next
        }
        #expect(value.depth == 1_000_000)
        value = .none
        containers.release()
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }

    /// Every prefix of a small valid checkpoint throws a ``CheckpointError``, and
    /// every single-byte corruption either throws or loads; none may trap.
    @Test(arguments: CheckpointFormat.allCases)
    func survivesCutAndCorruptedFiles(format: CheckpointFormat) throws {
        let pickle = PickleBytes().proto().orderedDict().mark()
            .tensor("a", storage: "0", size: [3, 4], stride: [1, 3], legacy: format == .legacy).setItems().stop()
        let data = format.checkpoint(pickle, storages: [twelve])
        #expect(try TorchCheckpoint.decode(data, name: "x.pth").count == 1)
        for length in 0 ..< data.count {
            #expect(throws: CheckpointError.self) { try TorchCheckpoint.decode(data.prefix(length), name: "x.pth") }
        }
        for index in data.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var corrupted = data
                corrupted[index] ^= flip
                _ = try? TorchCheckpoint.decode(corrupted, name: "x.pth")
            }
        }
    }
}
