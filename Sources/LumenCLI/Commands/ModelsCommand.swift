import ArgumentParser
import Lumen

/// `lumen models`: the model zoo and its weights.
struct Models: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the models and their bundled weights.")

    func run() {
        for kind in ModelKind.allCases {
            let parameters = kind.makeModel().parameters().reduce(0) { $0 + $1.tensor.scalarCount }
            print("\(kind.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0))"
                  + "\(String(parameters).leftPadded(to: 7)) parameters  \(kind.summary)")
            print("             bundled weights: " + (kind.hasBundledWeights ? "yes (Lumen-trained; used unless --weights is given)" : "none yet (give --weights FILE)"))
        }
        for kind in RestorationModelKind.allCases {
            let parameters = kind.makeModel().parameters().reduce(0) { $0 + $1.tensor.scalarCount }
            print("\(kind.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0))"
                  + "\(String(parameters).leftPadded(to: 7)) parameters  \(kind.summary)")
            let settings = kind.bundledSettings.map { kind == .espcn ? "×\($0)" : "σ \($0)" }
            print("             bundled weights: " + settings.joined(separator: ", ") + " (Lumen-trained; used unless --weights is given)")
        }
    }
}

extension RestorationModelKind {
    /// One line on what the model is, in Lumen's own configuration.
    var summary: String {
        switch self {
        case .espcn: "ESPCN (Shi et al., CVPR 2016), Y only, ×3 shown: `lumen upscale`; imports .pt and OpenCV .pb"
        case .dncnn: "DnCNN (Zhang et al., TIP 2017), 10 x 32 residual: `lumen denoise`; imports KAIR .pth of any size"
        case .denoiseAE: "the seed's denoising auto-encoder (RGB, pads to a multiple of 4): `lumen denoise --model denoise-ae`"
        }
    }
}

extension ModelKind {
    /// One line on what the model is.
    var summary: String {
        switch self {
        case .enlightenGAN: "EnlightenGAN-style (Jiang et al., TIP 2021): attention U-Net generator trained without pairs against global and local discriminators"
        case .zeroDCE: "Zero-DCE (Guo et al., CVPR 2020): 8 pixel-wise curves from 7 convolutions"
        case .zeroDCEPlusPlus: "Zero-DCE++ (Li et al., TPAMI 2021): one curve map from a downsampled image"
        case .sci: "SCI (Ma et al., CVPR 2022): self-calibrated illumination, one stage"
        case .gainUNet: "Gain U-Net (supervised): a per-pixel exponent in [0.2, 2], with a global brightness branch"
        case .parametric: "Parametric (supervised): gamma, contrast and brightness for the whole image, as a look-up table"
        case .ganPaired: "pix2pix-style (Isola et al., CVPR 2017): ResNet generator trained on pairs against a conditional PatchGAN"
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
