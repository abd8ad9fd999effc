import ArgumentParser
import Foundation
import Lumen
import LumenIO
import LumenTensor

/// `lumen convert`: an official PyTorch checkpoint to Lumen's safetensors.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert an official PyTorch checkpoint to safetensors with Lumen's key names.",
        discussion: "Every checkpoint key must be known to the model: loaded, or dropped on purpose (listed).")

    @Argument(help: "The PyTorch checkpoint (.pth or .pt, zip or legacy format).")
    var checkpoint: String

    @Option(help: "The model the checkpoint belongs to: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var model: ModelKind

    @Option(name: .shortAndLong, help: "The safetensors file to write.")
    var output: String

    func run() throws {
        let source = URL(fileURLWithPath: checkpoint)
        try refuseReplacingInput(output: URL(fileURLWithPath: output), inputs: [source])
        let network = model.makeModel()
        let report = try network.importCheckpoint(loadingCheckpoint(source), source: checkpoint)
        try network.saveWeights(to: URL(fileURLWithPath: output), kind: model,
                                metadata: ["lumen.source": source.lastPathComponent])
        print("\(checkpoint) -> \(output): \(report.loaded.count) tensors as \(model)")
        for (key, reason) in report.ignored.sorted(by: { $0.key < $1.key }) {
            print("  dropped \(key): \(reason)")
        }
    }

    private func loadingCheckpoint(_ url: URL) throws -> [String: Tensor] {
        do { return try TorchCheckpoint.load(contentsOf: url) } catch {
            throw ModelLoadingError.invalidWeights(message: error.localizedDescription)
        }
    }
}
