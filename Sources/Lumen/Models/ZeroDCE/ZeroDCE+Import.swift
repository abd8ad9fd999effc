import Foundation
import LumenTensor

extension ZeroDCE: CheckpointImportable {
    /// `e_conv3.weight` → `conv3.weight`.
    public static func importRule(forKey torchKey: String) -> CheckpointKeyRule? {
        guard torchKey.hasPrefix("e_conv") else { return nil }
        return .load(as: "conv" + torchKey.dropFirst("e_conv".count))
    }
}

extension ZeroDCE {
    /// The widths of the Zero-DCE whose weights are in `url` (Lumen weights, a training
    /// checkpoint or the official checkpoint); a pruned model's are smaller than 32.
    public static func widths(ofWeightsAt url: URL) throws(ModelLoadingError) -> [Int] {
        shaped(like: try WeightsFile.read(url)).widths
    }

    /// A network shaped like the weights in `file` (a pruned model has fewer channels),
    /// not yet filled; the official shape when the file has no `conv1` ... `conv6`
    /// weights, so that loading names what is missing.
    static func shaped(like file: WeightsFile) -> ZeroDCE {
        let tensors = file.lumenTensors(rule: importRule)
        let widths = (1...6).compactMap { tensors["conv\($0).weight"].flatMap { $0.shape.rank == 4 ? $0.shape[0] : nil } }
        var generator = SplitMix64(seed: 0)
        guard widths.count == 6, widths.allSatisfy({ (1...4096).contains($0) }) else { return ZeroDCE(using: &generator) }
        return ZeroDCE(widths: widths, using: &generator)
    }
}
