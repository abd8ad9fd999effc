import Foundation
import Lumen
import LumenTestSupport
import Testing

/// One stored PyTorch output in `fixtures/reference/`: `<input>_<model>.npy`.
struct ReferenceOutput: CustomTestStringConvertible, Sendable {
    /// The reference input's name, e.g. `dicm_05`.
    let input: String
    /// The model suffix, e.g. `zerodcepp_s12`.
    let model: String
    let url: URL

    var testDescription: String { "\(input) \(model)" }

    /// The official checkpoint and Lumen model behind each output suffix.
    static let models: [String: (checkpoint: String, kind: ModelKind, scale: Int)] = [
        "zerodce": ("zero-dce-epoch99.pth", .zeroDCE, 1),
        "zerodcepp_s1": ("zero-dce-pp-epoch99.pth", .zeroDCEPlusPlus, 1),
        "zerodcepp_s12": ("zero-dce-pp-epoch99.pth", .zeroDCEPlusPlus, 12),
        "sci_medium": ("sci-medium.pt", .sci, 1),
    ]

    /// Every model output found on disk, sorted by name.
    static var all: [ReferenceOutput] {
        Fixtures.files(in: Fixtures.reference(""), withExtensions: ["npy"]).compactMap { url in
            let stem = url.deletingPathExtension().lastPathComponent
            guard let model = models.keys.sorted(by: { $0.count > $1.count }).first(where: { stem.hasSuffix("_" + $0) }) else {
                return nil
            }
            return ReferenceOutput(input: String(stem.dropLast(model.count + 1)), model: model, url: url)
        }
    }
}
