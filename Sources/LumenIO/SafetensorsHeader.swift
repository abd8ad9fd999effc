/// The validated JSON header of a safetensors file: where each tensor's bytes are
/// and how to read them, plus the free-form `__metadata__`.
struct SafetensorsHeader {
    /// One tensor's description; `begin..<end` is relative to the byte buffer after the header.
    struct Entry {
        let key: String
        let dtype: SafetensorsDType
        let shape: [Int]
        let begin: Int
        let end: Int
    }

    static let metadataKey = "__metadata__"

    /// The tensors, in buffer order.
    let entries: [Entry]
    let metadata: [String: String]

    /// Parses `json` and checks it against a byte buffer of `bufferSize` bytes.
    ///
    /// Every entry's shape, dtype and offsets must agree, and the entries must
    /// tile the buffer exactly: no overlaps and no unused bytes, as the format requires.
    /// - Throws: ``SafetensorsError`` naming `file` and the first problem found.
    init(json: [UInt8], bufferSize: Int, file: String) throws(SafetensorsError) {
        let root: JSONValue
        do {
            root = try JSONValue.parse(json)
        } catch {
            switch error {
            case .duplicateKey(let key): throw .duplicateKey(file: file, key: key)
            case .malformed(let reason): throw .malformedHeader(file: file, reason: reason)
            }
        }
        guard case .object(var members) = root else {
            throw .malformedHeader(file: file, reason: "expected a JSON object")
        }
        metadata = try Self.metadata(members.removeValue(forKey: Self.metadataKey), file: file)
        // Sorted so that the first error reported does not depend on hashing order.
        let unordered = try members.keys.sorted().map { (key) throws(SafetensorsError) in
            try Self.entry(key: key, value: members[key]!, bufferSize: bufferSize, file: file)
        }
        entries = unordered.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var position = 0
        var previousKey = ""
        for entry in entries {
            if entry.begin < position { throw .overlappingTensors(file: file, first: previousKey, second: entry.key) }
            if entry.begin > position { throw .uncoveredBytes(file: file, begin: position, end: entry.begin) }
            position = entry.end
            previousKey = entry.key
        }
        if position < bufferSize { throw .uncoveredBytes(file: file, begin: position, end: bufferSize) }
    }

    private static func metadata(_ value: JSONValue?, file: String) throws(SafetensorsError) -> [String: String] {
        guard let value else { return [:] }
        guard case .object(let members) = value else {
            throw .malformedHeader(file: file, reason: "\(metadataKey) must map strings to strings")
        }
        var metadata: [String: String] = [:]
        for (key, member) in members {
            guard case .string(let text) = member else {
                throw .malformedHeader(file: file, reason: "\(metadataKey) must map strings to strings")
            }
            metadata[key] = text
        }
        return metadata
    }

    private static func entry(key: String, value: JSONValue, bufferSize: Int, file: String) throws(SafetensorsError) -> Entry {
        guard case .object(let fields) = value else {
            throw .malformedEntry(file: file, key: key, reason: "expected an object with dtype, shape and data_offsets")
        }
        guard case .string(let dtypeName) = fields["dtype"] else {
            throw .malformedEntry(file: file, key: key, reason: "missing string field \"dtype\"")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw .unsupportedDType(file: file, key: key, dtype: dtypeName)
        }
        guard let shape = integers(fields["shape"]) else {
            throw .malformedEntry(file: file, key: key, reason: "field \"shape\" must be an array of integers")
        }
        guard let offsets = integers(fields["data_offsets"]), offsets.count == 2 else {
            throw .malformedEntry(file: file, key: key, reason: "field \"data_offsets\" must be an array of two integers")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .negativeDimension(file: file, key: key, shape: shape) }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, begin <= end, end <= bufferSize else {
            throw .offsetsOutOfBounds(file: file, key: key, begin: begin, end: end, bufferSize: bufferSize)
        }
        // A hostile header can name dimensions whose product overflows Int. A zero
        // dimension does not excuse the others: `Shape.strides` multiplies them too.
        var byteCount = dtype.byteCount
        for dimension in shape where dimension != 0 {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw .malformedEntry(file: file, key: key, reason: "shape \(shape) is too large")
            }
            byteCount = product
        }
        if shape.contains(0) { byteCount = 0 }
        guard byteCount == end - begin else {
            throw .sizeMismatch(file: file, key: key, shape: shape, dtype: dtypeName,
                                expectedByteCount: byteCount, actualByteCount: end - begin)
        }
        return Entry(key: key, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// The integers of a JSON array, or `nil` if it is missing, holds anything
    /// else, or holds an integer that does not fit in `Int`.
    private static func integers(_ value: JSONValue?) -> [Int]? {
        guard case .array(let elements) = value else { return nil }
        var result: [Int] = []
        for element in elements {
            guard case .number(let spelling) = element, let integer = Int(spelling) else { return nil }
            result.append(integer)
        }
        return result
    }
}
