import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// The GraphDef reader on hand-made protobuf bytes: what it reads, and that bad
/// bytes are errors naming the file, never traps.
@Suite struct TensorFlowGraphTests {
    private static func varint(_ value: UInt64) -> [UInt8] {
        var value = value, bytes: [UInt8] = []
        repeat {
            bytes.append(UInt8(value & 0x7F) | (value > 0x7F ? 0x80 : 0))
            value >>= 7
        } while value > 0
        return bytes
    }
    private static func field(_ number: UInt64, _ payload: [UInt8]) -> [UInt8] { varint(number << 3 | 2) + varint(UInt64(payload.count)) + payload }
    private static func string(_ number: UInt64, _ text: String) -> [UInt8] { field(number, Array(text.utf8)) }

    /// A `Const` node `c` holding float32 `values` of `shape` as `tensor_content`.
    private static func constant(shape: [UInt64], values: [Float]) -> [UInt8] {
        let dimensions = shape.flatMap { field(2, [0x08] + varint($0)) }
        let tensor = [0x08, 0x01] + field(2, dimensions) + field(4, values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
        let attribute = field(5, string(1, "value") + field(2, field(8, tensor)))
        return field(1, string(1, "c") + string(2, "Const") + attribute)
    }

    @Test func readsNodesInputsAndConstants() throws {
        let bytes = Self.constant(shape: [2], values: [1.5, -2])
            + Self.field(1, Self.string(1, "r") + Self.string(2, "Relu") + Self.string(3, "c"))
        let graph = try TensorFlowGraph.decode(Data(bytes), name: "g.pb")
        #expect(graph.nodes.map(\.op) == ["Const", "Relu"])
        #expect(graph.node(named: "r")?.inputs == ["c"])
        guard case .tensor(let value)? = graph.node(named: "c")?.attributes["value"] else { Issue.record("no tensor"); return }
        #expect(value.shape == [2] && value.values == [1.5, -2])
    }

    @Test func badBytesAreErrorsNamingTheFile() throws {
        let good = Self.constant(shape: [2], values: [1.5, -2])
        for length in 0 ..< good.count {
            #expect(throws: TensorFlowGraphError.self) { try TensorFlowGraph.decode(Data(good.prefix(length)), name: "cut.pb") }
        }
        for index in good.indices {
            var bad = good
            bad[index] ^= 0xFF
            _ = try? TensorFlowGraph.decode(Data(bad), name: "bad.pb")
        }
        let lying = Self.constant(shape: [1 << 20, 1 << 20], values: [1])
        let error = try #require(throws: TensorFlowGraphError.self) { try TensorFlowGraph.decode(Data(lying), name: "big.pb") }
        #expect(error.localizedDescription.hasPrefix("big.pb: malformed protobuf"), "\(error.localizedDescription)")
        // Messages nested 40 deep where the schema has none are skipped, not walked:
        // the reader descends only into the fields it knows, at most 6 levels.
        var deep = Self.string(1, "x")
        for _ in 0 ..< 40 { deep = Self.field(5, Self.field(2, Self.field(1, deep))) }
        #expect(try TensorFlowGraph.decode(Data(Self.field(1, deep)), name: "deep.pb").nodes.count == 1)
    }
}
