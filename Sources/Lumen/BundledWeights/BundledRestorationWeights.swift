import Foundation
import LumenIO

/// The restoration weights Lumen trained and ships (README, "Bundled weights"):
/// ESPCN ×2, ×3 and ×4 on T91, Lumen's DnCNN for σ = 25 on Train400, and the
/// seed's auto-encoder for σ = 25 on T91 (colour).
extension RestorationModelKind {
    /// The scales (ESPCN) or noise levels (denoisers) Lumen ships weights for.
    public var bundledSettings: [Int] {
        switch self {
        case .espcn: [2, 3, 4]
        case .dncnn: [25]
        case .denoiseAE: [25]
        }
    }

    /// The model with Lumen's bundled weights.
    /// - Parameter setting: ESPCN's scale, or the denoisers' noise level σ.
    /// - Throws: `ModelLoadingError.noBundledWeights` when none ship for it.
    public func pretrained(_ setting: Int) throws(ModelLoadingError) -> any LoadableRestorer {
        let encoded: String? = switch (self, setting) {
        case (.espcn, 2): BundledWeights.espcnX2
        case (.espcn, 3): BundledWeights.espcnX3
        case (.espcn, 4): BundledWeights.espcnX4
        case (.dncnn, 25): BundledWeights.dncnnSigma25
        case (.denoiseAE, 25): BundledWeights.denoiseAESigma25
        default: nil
        }
        let name = self == .espcn ? "\(rawValue) ×\(setting)" : "\(rawValue) σ \(setting)"
        guard let encoded else {
            throw .noBundledWeights(model: name + (bundledSettings.isEmpty ? ""
                : " (Lumen ships \(bundledSettings.map { self == .espcn ? "×\($0)" : "σ \($0)" }.joined(separator: ", ")))"))
        }
        let contents: Safetensors.Contents
        do { contents = try Safetensors.decode(BundledWeights.decodeHexadecimal(encoded), name: "bundled \(name) weights") } catch {
            throw .invalidWeights(message: error.localizedDescription)
        }
        let file = WeightsFile.lumen(contents, source: "bundled \(name) weights")
        let model = try makeModel(fitting: file)
        try file.load(into: model, modelName: rawValue)
        return model
    }
}
