import Foundation
import LumenIO

/// Weights that Lumen trained itself and ships inside the library, so that
/// `lumen enhance photo.jpg` works on a fresh machine with no download.
///
/// Each is a Lumen safetensors file embedded as hexadecimal in a generated source file
/// (`scripts/embed-weights.py`), so it travels with the binary rather than as a
/// resource bundle that an installed executable could lose. How each was trained
/// is in the README ("Bundled weights") and in the file's `lumen.training` metadata.
public enum BundledWeights {
    /// The embedded safetensors bytes for `kind`, or `nil` if none ships.
    public static func data(for kind: ModelKind) -> Data? {
        let encoded: String? = switch kind {
        case .zeroDCE: zeroDCE
        case .zeroDCEPlusPlus: zeroDCEPlusPlus
        case .sci: sci
        case .parametric: parametric
        case .gainUNet: gainUNet
        case .enlightenGAN: enlightenGAN
        case .ganPaired: nil
        }
        return encoded.map(decodeHexadecimal)
    }

    /// The embedded `matting-unet` weights with `frontEnd`, or `nil` if none ship
    /// (the illumination estimator's).
    static func data(forMatting frontEnd: MattingFrontEndKind) -> Data? {
        let encoded: String? = switch frontEnd {
        case .none: mattingUNet
        case .zeroDCEPlusPlus: mattingUNetLowLight
        case .illumination: nil
        }
        return encoded.map(decodeHexadecimal)
    }

    /// The bytes spelled by pairs of hexadecimal digits; other characters (line breaks) are skipped.
    static func decodeHexadecimal(_ text: String) -> Data {
        var bytes = Data(capacity: text.utf8.count / 2)
        var high: UInt8?
        for character in text.utf8 {
            let digit: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = character - UInt8(ascii: "a") + 10
            default: continue
            }
            if let first = high { bytes.append(first << 4 | digit); high = nil } else { high = digit }
        }
        return bytes
    }
}

extension ModelKind {
    /// The model with Lumen's bundled weights.
    /// - Throws: `ModelLoadingError.noBundledWeights` for a model that ships none.
    public func pretrained(scale: Int = 12) throws(ModelLoadingError) -> any LoadableEnhancer {
        guard let data = BundledWeights.data(for: self) else { throw .noBundledWeights(model: rawValue) }
        let contents: Safetensors.Contents
        do { contents = try Safetensors.decode(data, name: "bundled \(rawValue) weights") } catch {
            throw .invalidWeights(message: error.localizedDescription)
        }
        let model = makeModel(scale: scale)
        try WeightsFile.lumen(contents, source: "bundled \(rawValue) weights").load(into: model, modelName: rawValue)
        return model
    }

    /// Whether Lumen ships weights for this model.
    public var hasBundledWeights: Bool { BundledWeights.data(for: self) != nil }
}

extension ZeroDCEPlusPlus {
    /// Zero-DCE++ with Lumen's bundled weights, the default model of `lumen enhance`.
    ///
    /// ```swift
    /// let enhanced = try ZeroDCEPlusPlus.pretrained().enhance(try Image(contentsOf: url))
    /// ```
    public static func pretrained(scale: Int = 12) throws(ModelLoadingError) -> ZeroDCEPlusPlus {
        // ModelKind builds a ZeroDCEPlusPlus for this case.
        try ModelKind.zeroDCEPlusPlus.pretrained(scale: scale) as! ZeroDCEPlusPlus
    }
}
