import LumenNN
import LumenTensor

/// A low-light correction run before the matting network: `Input → front end →
/// corrected image → U-Net → alpha` (seed 001). Its parameters live under the
/// matting model's `frontEnd.` keys, so they are saved, frozen and trained with it.
public protocol MattingFrontEnd: Module {
    /// The corrected image `[N, 3, H, W]` of `image` `[N, 3, H, W]` in `[0, 1]`.
    func corrected(_ image: Tensor) -> Tensor
    /// How far a corrected pixel sees, for exact tiling.
    var correctionRadius: Int { get }
}

/// Zero-DCE++ as the front end, at full resolution: with scale 1 it is fully
/// convolutional (seven 3x3 layers, radius 7) and tiles exactly, which
/// ``MattingUNet`` requires of its front end.
extension ZeroDCEPlusPlus: MattingFrontEnd {
    public func corrected(_ image: Tensor) -> Tensor {
        precondition(scale == 1, "Zero-DCE++ as a matting front end runs at scale 1, not \(scale)")
        return self(image).enhanced
    }

    public var correctionRadius: Int { 7 }
}
