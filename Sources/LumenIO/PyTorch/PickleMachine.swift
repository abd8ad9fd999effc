import Foundation

/// A minimal, safe unpickler for PyTorch checkpoints.
///
/// It implements the opcodes that `torch.save` emits for state dictionaries
/// (``PickleOpcode``) over the values in ``PickleValue``. It never imports or calls
/// Python code: `GLOBAL` accepts only the names in ``PickleGlobal``, `REDUCE` and
/// `NEWOBJ` interpret those few by hand, and persistent ids become
/// ``TorchStorageReference``s. Every read is bounds-checked, so a truncated or
/// hostile file throws ``CheckpointError`` rather than trapping.
struct PickleMachine {
    /// The bytes holding the pickle (from index 0), possibly followed by other data.
    let bytes: Data
    /// The file name for error messages.
    let file: String
    /// Where every list and dict goes, so that the reader can break cycles once done.
    let containers: PickleContainers
    /// The position of the next byte to read.
    var offset: Int
    /// The storage type of every storage key a persistent id named: legacy files
    /// need it to size each storage's bytes.
    var storageTypes: [String: TorchStorageType] = [:]

    /// Containers nested deeper than this are refused: no state dictionary comes
    /// close (an optimiser's is 4 deep), and hostile files nest tens of thousands.
    static let maximumDepth = 100

    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    /// Where the opcode being executed starts, for error messages.
    var opcodeOffset = 0
    var opcode = PickleOpcode.stop

    /// - Parameters:
    ///   - containers: owns the lists and dicts; the caller calls ``PickleContainers/release()``
    ///     when done with the objects, even after an error, or a hostile pickle leaks memory.
    init(bytes: Data, file: String, offset: Int = 0, containers: PickleContainers) {
        precondition(bytes.startIndex == 0, "pickle bytes must be indexed from 0")
        (self.bytes, self.file, self.offset, self.containers) = (bytes, file, offset, containers)
    }

    /// Runs the pickle that starts at ``offset`` up to its `STOP` and returns its
    /// object, leaving ``offset`` just past the `STOP`. Each pickle has its own memo.
    mutating func nextPickle() throws(CheckpointError) -> PickleValue {
        (stack, marks, memo) = ([], [], [:])
        while true {
            opcodeOffset = offset
            guard offset < bytes.count else {
                throw .truncated(file: file, offset: bytes.count, context: "a pickle (no STOP opcode)")
            }
            let byte = bytes[offset]
            guard let next = PickleOpcode(rawValue: byte) else {
                throw .unsupportedOpcode(file: file, opcode: byte, offset: offset)
            }
            offset += 1
            opcode = next
            if next == .stop { return try pop() }
            try execute(next)
        }
    }

    private mutating func execute(_ opcode: PickleOpcode) throws(CheckpointError) {
        switch opcode {
        case .proto: _ = try readByte()
        case .frame: _ = try readUInt(byteCount: 8)  // a buffering hint; the frame's opcodes follow inline
        case .global: stack.append(.global(try allowedGlobal(module: try readLine(), name: try readLine())))
        case .stackGlobal:
            let name = try popString(), module = try popString()
            stack.append(.global(try allowedGlobal(module: module, name: name)))
        case .binPut: memo[Int(try readByte())] = try top()
        case .longBinPut: memo[Int(try readUInt(byteCount: 4))] = try top()
        case .memoize: memo[memo.count] = try top()
        case .binGet: stack.append(try memoized(Int(try readByte())))
        case .longBinGet: stack.append(try memoized(Int(try readUInt(byteCount: 4))))
        case .mark: marks.append(stack.count)
        case .emptyDict: stack.append(containers.dict())
        case .emptyList: stack.append(containers.list())
        case .emptyTuple: stack.append(.tuple(PickleTuple([])))
        case .setItem:
            let value = try pop(), key = try pop()
            try checkDepth(try topDict().append(key: key, value: value))
        case .setItems:
            let items = try popToMark()
            guard items.count.isMultiple(of: 2) else { throw malformed("SETITEMS with an odd number of items") }
            let dict = try topDict()
            for pair in stride(from: 0, to: items.count, by: 2) {
                try checkDepth(dict.append(key: items[pair], value: items[pair + 1]))
            }
        case .append:
            let value = try pop()
            try checkDepth(try topList().append(value))
        case .appends:
            let items = try popToMark()
            let list = try topList()
            for item in items { try checkDepth(list.append(item)) }
        case .tuple: try pushTuple(try popToMark())
        case .tuple1, .tuple2, .tuple3:
            let count = Int(opcode.rawValue - PickleOpcode.tuple1.rawValue) + 1
            guard stack.count - (marks.last ?? 0) >= count else { throw malformed("stack underflow") }
            let items = Array(stack.suffix(count))
            stack.removeLast(count)
            try pushTuple(items)
        case .reduce, .newObject:
            let arguments = try pop(), callable = try pop()
            stack.append(try call(callable, arguments: arguments))
        case .build:
            // OrderedDict state is `{'_metadata': ...}`, the modules' version
            // numbers; the tensors are already in the dict, so the state is dropped.
            _ = try pop()
            _ = try topDict()
        case .binPersistentID: stack.append(.storage(try storageReference(try pop())))
        case .binInt: stack.append(.int(Int(Int32(bitPattern: UInt32(try readUInt(byteCount: 4))))))
        case .binInt1: stack.append(.int(Int(try readByte())))
        case .binInt2: stack.append(.int(Int(try readUInt(byteCount: 2))))
        case .long1: stack.append(.int(try readLong()))
        case .binFloat: stack.append(.float(Double(bitPattern: try readUInt(byteCount: 8).byteSwapped)))
        case .binUnicode, .binString: stack.append(.string(try readString(lengthBytes: 4)))
        case .shortBinUnicode, .shortBinString: stack.append(.string(try readString(lengthBytes: 1)))
        case .binUnicode8: stack.append(.string(try readString(lengthBytes: 8)))
        case .binBytes: stack.append(.bytes(Array(try take(try readLength(byteCount: 4)))))
        case .shortBinBytes: stack.append(.bytes(Array(try take(try readLength(byteCount: 1)))))
        case .none: stack.append(.none)
        case .newTrue: stack.append(.bool(true))
        case .newFalse: stack.append(.bool(false))
        case .stop: preconditionFailure("STOP is handled by nextPickle()")
        }
    }

    /// An error at the current opcode.
    func malformed(_ reason: String) -> CheckpointError {
        .malformedPickle(file: file, offset: opcodeOffset, reason: "\(opcode) opcode: \(reason)")
    }

    private mutating func pushTuple(_ items: [PickleValue]) throws(CheckpointError) {
        let tuple = PickleTuple(items)
        try checkDepth(tuple.depth)
        stack.append(.tuple(tuple))
    }

    private func checkDepth(_ depth: Int) throws(CheckpointError) {
        guard depth <= Self.maximumDepth else {
            throw malformed("containers nested deeper than \(Self.maximumDepth) levels")
        }
    }

    private mutating func pop() throws(CheckpointError) -> PickleValue {
        let value = try top()
        stack.removeLast()
        return value
    }

    /// The top of the stack; values below the innermost mark are out of reach, as
    /// in CPython, where `MARK` starts a new stack.
    private func top() throws(CheckpointError) -> PickleValue {
        guard stack.count > marks.last ?? 0, let value = stack.last else { throw malformed("stack underflow") }
        return value
    }

    private func topDict() throws(CheckpointError) -> PickleDict {
        guard case .dict(let dict) = try top() else { throw malformed("expected a dict, found \(try top().typeName)") }
        return dict
    }

    private func topList() throws(CheckpointError) -> PickleList {
        guard case .list(let list) = try top() else { throw malformed("expected a list, found \(try top().typeName)") }
        return list
    }

    private mutating func popString() throws(CheckpointError) -> String {
        let value = try pop()
        guard case .string(let string) = value else { throw malformed("expected a str, found \(value.typeName)") }
        return string
    }

    private mutating func popToMark() throws(CheckpointError) -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw malformed("no matching MARK") }
        defer { stack.removeSubrange(mark...) }
        return Array(stack[mark...])
    }

    private func memoized(_ index: Int) throws(CheckpointError) -> PickleValue {
        guard let value = memo[index] else { throw malformed("memo entry \(index) was never stored") }
        return value
    }
}
