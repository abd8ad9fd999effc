import Foundation
import LumenTensor

/// The Python tools of the conformance tests: the virtual environment that
/// `scripts/setup-conformance.sh` makes (onnx, onnxruntime, OpenCV) and the float
/// files its scripts write.
public enum ConformanceTools {
    /// The conformance venv's interpreter.
    public static let python = Fixtures.packageRoot.appendingPathComponent(".build/conformance-venv/bin/python")
    /// The peers' venv (PyTorch 1.13 and the official model code) of `scripts/setup-peers.sh`,
    /// which CI does not install.
    public static let peersPython = URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".cache/lumen-peers/venv/bin/python")

    /// Runs `script` (relative to the package root, or absolute) with `interpreter`;
    /// returns its standard error when it fails.
    /// - Throws: When the process cannot start.
    public static func run(_ script: String, _ arguments: [String], interpreter: URL = python,
                           in directory: URL? = nil) throws -> (status: Int32, standardError: String) {
        let process = Process()
        process.executableURL = interpreter
        let path = script.hasPrefix("/") ? script : Fixtures.packageRoot.appendingPathComponent(script).path
        process.arguments = [path] + arguments
        process.currentDirectoryURL = directory
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: message, as: UTF8.self))
    }

    /// A tensor from the scripts' float format: int32 rank, int32 dimensions, then
    /// little-endian float32 values. `onnxruntime-run.py` writes the rank-4 form without
    /// its rank; pass `rank: 4` for it.
    public static func readFloats(_ url: URL, rank: Int? = nil) throws -> Tensor {
        let bytes = try Data(contentsOf: url)
        let words = bytes.withUnsafeBytes { Array($0.bindMemory(to: UInt32.self)).map(UInt32.init(littleEndian:)) }
        let count = rank ?? Int(words[0]), start = rank == nil ? 1 : 0
        let dimensions = words[start..<(start + count)].map { Int(Int32(bitPattern: $0)) }
        let values = words[(start + count)...].map { Float(bitPattern: $0) }
        return Tensor(shape: Shape(dimensions), scalars: Array(values))
    }

    /// Writes a rank-4 tensor in the form `onnxruntime-run.py` reads and writes: its
    /// four dimensions as int32, then the values as little-endian float32.
    public static func writeFloats(_ tensor: Tensor, to url: URL) throws {
        precondition(tensor.shape.rank == 4, "the scripts' float files hold [N, C, H, W], got \(tensor.shape)")
        let words = tensor.shape.dimensions.map { UInt32(truncatingIfNeeded: $0).littleEndian }
            + tensor.scalars.map { $0.bitPattern.littleEndian }
        try words.withUnsafeBytes { Data($0) }.write(to: url)
    }
}
