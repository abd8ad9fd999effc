import ArgumentParser
import Foundation
import Lumen

extension ModelKind: ExpressibleByArgument {}

/// Which learned model to run and with which weights.
struct ModelOptions: ParsableArguments {
    @Option(help: "The model: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var model: ModelKind = .zeroDCEPlusPlus

    @Option(help: "Weights: a Lumen .safetensors file or an official PyTorch checkpoint (.pth/.pt); default: Lumen's bundled weights.")
    var weights: String?

    @Option(help: "Zero-DCE++ only: downsampling factor of the curve estimation.")
    var scale: Int = 12

    func validate() throws {
        guard scale >= 1 else { throw ValidationError("--scale must be at least 1, got \(scale)") }
        if scale != 12 && model != .zeroDCEPlusPlus {
            throw ValidationError("--scale applies to zero-dce-pp only, not \(model)")
        }
    }

    /// Loads the chosen model: from `--weights`, else Lumen's bundled weights.
    /// - Throws: `ModelLoadingError` naming the file or saying which flag to give.
    func load() throws -> any LoadableEnhancer {
        guard let weights else { return try model.pretrained(scale: scale) }
        return try model.load(weights: URL(fileURLWithPath: weights), scale: scale)
    }
}
