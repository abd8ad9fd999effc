import Foundation
@testable import LumenIO
import Testing

@Suite struct ONNXCodecTests {
    /// A model with every kind of field Lumen writes.
    static let model = ONNX.Model(
        irVersion: 8, operatorSets: [ONNX.OperatorSet(version: 17)], producerName: "lumen", producerVersion: "0.9",
        graph: ONNX.Graph(
            name: "zero-dce",
            nodes: [
                ONNX.Node(opType: "Conv", inputs: ["input", "w", ""], outputs: ["x"], name: "conv1", attributes: [
                    ONNX.Attribute("kernel_shape", .ints([3, 3])), ONNX.Attribute("group", .int(1)),
                    ONNX.Attribute("alpha", .float(0.25)), ONNX.Attribute("mode", .string(Array("CRD".utf8))),
                    ONNX.Attribute("scales", .floats([1, 1, 2, 2])), ONNX.Attribute("names", .strings([[0x61], []])),
                    ONNX.Attribute("value", .tensor(ONNX.Tensor(name: "", dims: [2], int64s: [-1, 5]))),
                ]),
                ONNX.Node(opType: "Relu", inputs: ["x"], outputs: ["output"], domain: "ai.onnx"),
            ],
            initializers: [ONNX.Tensor(name: "w", dims: [1, 3, 3, 3], floats: (0..<27).map { Float($0) - 13.5 })],
            inputs: [ONNX.ValueInfo(name: "input", elementType: 1, shape: [.parameter("batch"), .value(3), .parameter("height"), .unknown])],
            outputs: [ONNX.ValueInfo(name: "output", elementType: 1, shape: [])]),
        metadata: [ONNX.MetadataEntry(key: "lumen.model", value: "zero-dce"), ONNX.MetadataEntry(key: "note", value: "é")])

    @Test func aModelSurvivesEncodingAndDecoding() throws {
        let decoded = try ONNX.Model.decode(Self.model.serialized(), name: "m.onnx")
        #expect(decoded == Self.model)
        #expect(decoded.graph.initializers[0].floatValues() == (0..<27).map { Float($0) - 13.5 })
        #expect(decoded.graph.nodes[0].attribute("value").flatMap { if case .tensor(let t) = $0 { t.integerValues() } else { nil } } == [Int64(-1), 5])
    }

    @Test func theWireFormatIsProtobufs() {
        var writer = ProtobufWriter()
        ONNX.OperatorSet(version: 17).encode(to: &writer)
        #expect(writer.bytes == [0x10, 17])
        var overflowing = ProtobufWriter()   // 2^40 · 2^40 elements: the product overflows Int64
        for dim: Int64 in [1 << 40, 1 << 40] { overflowing.field(1, int64: dim) }
        overflowing.field(2, int64: 1)
        #expect { try ONNX.Model.decode(Data(model(withInitializer: overflowing.bytes)), name: "m.onnx") } throws: { error in
            (error as! ONNXFileError).reason.contains("is too large")
        }
        var negative = ProtobufWriter()
        negative.field(3, int64: -1)   // ten bytes, as protobuf writes negative int64s
        #expect(negative.bytes == [0x18] + Array(repeating: 0xff, count: 9) + [0x01])
        #expect(Array(Self.model.serialized().prefix(2)) == [0x08, 8])   // ir_version = 8
    }

    @Test func typedDataFieldsAreReadAsBytes() throws {
        // A hand-made packed float_data of [1.5, -2]: 8 bytes after the length.
        var bytes = ProtobufWriter()
        bytes.field(1, int64: 2)
        bytes.field(2, int64: 1)
        bytes.field(4, bytes: [0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x00, 0xc0])
        bytes.field(8, string: "t")
        let tensor = try ONNX.Tensor(from: ProtobufReader(Data(bytes.bytes)), at: "t")
        #expect(tensor.floatValues() == [1.5, -2])
        var ints = ProtobufWriter()
        ints.field(1, int64: 3)
        ints.field(2, int64: 7)            // INT64
        for value: Int64 in [4, -3, 1 << 40] { ints.field(7, int64: value) }   // int64_data, unpacked
        #expect(try ONNX.Tensor(from: ProtobufReader(Data(ints.bytes)), at: "t").integerValues() == [4, -3, 1 << 40])
        var halves = ProtobufWriter()
        halves.field(1, int64: 2)
        halves.field(2, int64: 10)         // FLOAT16 in int32_data
        halves.field(5, int64: 0x3c00)     // 1
        halves.field(5, int64: 0xc100)     // -2.5
        #expect(try ONNX.Tensor(from: ProtobufReader(Data(halves.bytes)), at: "t").floatValues() == [1, -2.5])
    }

    @Test func externalDataIsRefused() {
        var tensor = ProtobufWriter()
        tensor.field(1, int64: 4)
        tensor.field(2, int64: 1)
        tensor.field(8, string: "weight")
        tensor.field(13) { $0.field(1, string: "location"); $0.field(2, string: "/etc/passwd") }
        tensor.field(14, int64: 1)
        let bytes = model(withInitializer: tensor.bytes)
        #expect { try ONNX.Model.decode(Data(bytes), name: "m.onnx") } throws: { error in
            let error = error as! ONNXFileError
            return error.file == "m.onnx" && error.reason.hasPrefix("graph.initializer[0] 'weight': ")
                && error.reason.contains("external file ('/etc/passwd')")
        }
    }

    @Test func aShapeThatTheDataDoesNotFillIsRefused() {
        var tensor = ProtobufWriter()
        for dim: Int64 in [1_000_000, 1_000_000] { tensor.field(1, int64: dim) }
        tensor.field(2, int64: 1)
        tensor.field(9, bytes: [0, 0, 0, 0])
        #expect(throws: ONNXFileError.self) { try ONNX.Model.decode(Data(model(withInitializer: tensor.bytes)), name: "m.onnx") }
        var negative = ProtobufWriter()
        negative.field(1, int64: -4)
        negative.field(2, int64: 1)
        #expect { try ONNX.Model.decode(Data(model(withInitializer: negative.bytes)), name: "m.onnx") } throws: { error in
            (error as! ONNXFileError).reason.contains("negative dimension")
        }
    }

    @Test func malformedBytesAreRefusedWithWhereTheyAre() {
        let bytes = Self.model.serialized()
        for cut in [1, 7, bytes.count / 2, bytes.count - 1] {
            #expect(throws: ONNXFileError.self) { try ONNX.Model.decode(Data(bytes.prefix(cut)), name: "m.onnx") }
        }
        #expect { try ONNX.Model.decode(Data([0x08] + Array(repeating: 0xff, count: 11)), name: "m.onnx") } throws: { error in
            (error as! ONNXFileError).reason.contains("longer than 10 bytes")
        }
        #expect { try ONNX.Model.decode(Data([0x0b]), name: "m.onnx") } throws: { error in   // field 1, wire type 3 (a group)
            (error as! ONNXFileError).reason.contains("wire type 3")
        }
        #expect { try ONNX.Model.decode(Data([0x08, 8]), name: "m.onnx") } throws: { error in
            (error as! ONNXFileError).reason == "model: it has no graph"
        }
        #expect { try ONNX.Model.decode(Data([0x12, 2, 0xc3, 0x28, 0x3a, 0]), name: "m.onnx") } throws: { error in   // producer_name not UTF-8
            (error as! ONNXFileError).reason.contains("not UTF-8")
        }
    }

    /// A model whose graph has one initializer with the given encoded TensorProto.
    private func model(withInitializer tensor: [UInt8]) -> [UInt8] {
        var writer = ProtobufWriter()
        writer.field(1, int64: 8)
        writer.field(7) { $0.field(5, bytes: tensor) }
        return writer.bytes
    }
}
