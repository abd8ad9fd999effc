import Foundation

/// One parser of untrusted bytes, driven by libFuzzer (see `scripts/fuzz.sh`).
///
/// Each harness feeds the bytes to the parser as a file's contents and ignores
/// the error it throws: a parser must reject hostile input with a typed error,
/// so only a crash, a trap, an AddressSanitizer report, a timeout or running out
/// of memory is a finding. The harness is compiled into the same module as the
/// LumenIO sources, so the internal parsers (`PickleMachine`, `JSONValue`) are
/// reached without `@testable`.
enum FuzzTarget: Equatable {
    /// `Image.decode`, which sniffs the format from the signature.
    case image
    /// One image codec directly, skipping the sniffing: the target is named
    /// after the format (`png`, `jpeg`, and any format `ImageFormat` gains).
    case format(ImageFormat)
    /// The unpickler on raw bytes, pickle after pickle as a legacy checkpoint holds them.
    case pickle
    /// A whole PyTorch checkpoint, zip or legacy.
    case torch
    /// The stored-zip reader: the central directory, then every entry's contents.
    case zip
    /// A safetensors file.
    case safetensors
    /// A `.npy` array, or an `.npz` archive when the bytes start like a zip.
    case numpy
    /// The strict JSON parser behind safetensors headers.
    case json
    /// A TensorFlow frozen graph (`GraphDef` protobuf), as OpenCV's ESPCN `.pb` files.
    case graphdef
    /// An ONNX model (`ModelProto` protobuf).
    case onnx

    /// The target a fuzzer binary's name picks: `image`, `pickle`, ..., or an image format's raw value.
    init?(name: String) {
        switch name {
        case "image": self = .image
        case "pickle": self = .pickle
        case "torch": self = .torch
        case "zip": self = .zip
        case "safetensors": self = .safetensors
        case "numpy": self = .numpy
        case "json": self = .json
        case "graphdef": self = .graphdef
        case "onnx": self = .onnx
        default:
            guard let format = ImageFormat(rawValue: name) else { return nil }
            self = .format(format)
        }
    }

    /// Parses `data` as this target's input; what the parser throws is the expected outcome.
    func run(_ data: Data) {
        let name = "fuzz-input"
        switch self {
        case .image:
            _ = try? Image.decode(data, name: name)
        case .format(let format):
            _ = try? ImageCodec.decode(data, format: format, name: name)
        case .pickle:
            let containers = PickleContainers()
            defer { containers.release() }
            var machine = PickleMachine(bytes: data, file: name, containers: containers)
            while machine.offset < data.count, (try? machine.nextPickle()) != nil {}
        case .torch:
            _ = try? TorchCheckpoint.decode(data, name: name)
        case .zip:
            guard let archive = try? ZipArchive(data: data, name: name) else { return }
            for entry in archive.entries { _ = try? archive.contents(of: entry.name) }
        case .safetensors:
            _ = try? Safetensors.decode(data, name: name)
        case .numpy:
            if data.starts(with: [0x50, 0x4B]) {
                _ = try? NumPyArchive.decode(data, name: name).mapValues(\.tensor)
            } else {
                _ = try? NumPyArray.decode(data, name: name).tensor
            }
        case .json:
            _ = try? JSONValue.parse([UInt8](data))
        case .graphdef:
            _ = try? TensorFlowGraph.decode(data, name: name)
        case .onnx:
            _ = try? ONNX.Model.decode(data, name: name)
        }
    }
}
