import LumenIO
import LumenTensor

/// Cuts the subject out of a photo with the model that suits its light (seed 001,
/// section 7.2): the plain ``MattingUNet`` in normal light, the one with a low-light
/// front end in low light.
///
/// ```swift
/// let pipeline = MattingPipeline(plain: plainModel, lowLight: frontEndModel, mode: .auto)
/// let result = pipeline.matte(try Image(contentsOf: url), tileSize: 512)
/// ```
public struct MattingPipeline: Sendable {
    /// When the low-light model runs.
    public enum Mode: String, CaseIterable, Sendable {
        /// When the photo's mean luminance is below ``darkThreshold``.
        case auto
        /// Always.
        case on
        /// Never.
        case off
    }

    /// The mean of the RGB values in `[0, 1]` below which `auto` takes a photo for
    /// low light: the seed's threshold for its dark-image edge weight.
    public static let darkThreshold: Float = 0.3

    public let plain: MattingUNet?
    public let lowLight: MattingUNet?
    public let mode: Mode

    /// - Precondition: the models the mode can choose are given (`auto` needs both).
    public init(plain: MattingUNet?, lowLight: MattingUNet?, mode: Mode) {
        precondition(mode == .on || plain != nil, "matting mode \(mode) needs the plain model")
        precondition(mode == .off || lowLight != nil, "matting mode \(mode) needs the low-light model")
        (self.plain, self.lowLight, self.mode) = (plain, lowLight, mode)
        plain?.eval()
        lowLight?.eval()
    }

    /// A matted photo.
    public struct Result: Sendable {
        /// The alpha `[1, 1, H, W]` in `[0, 1]`.
        public let alpha: Tensor
        /// Whether the low-light model made it.
        public let usedLowLight: Bool
        /// The photo's mean luminance, which `auto` decided by.
        public let meanLuminance: Float
    }

    /// The alpha of `image` (colour channels; alpha ignored), tile by tile.
    /// - Parameter progress: called after each tile with (tiles done, tiles in all).
    public func matte(_ image: Image, tileSize: Int, progress: (Int, Int) -> Void = { _, _ in }) -> Result {
        let input = image.rgb().tensor()
        let luminance = input.scalars.reduce(0, +) / Float(max(input.scalarCount, 1))
        let low = switch mode {
        case .on: true
        case .off: false
        case .auto: luminance < Self.darkThreshold
        }
        let model = low ? lowLight! : plain!
        let alpha = withoutGradients {
            tileSize == 0 ? model.alpha(input) : model.alphaInTiles(input, tileSize: tileSize, progress: progress)
        }
        return Result(alpha: alpha, usedLowLight: low, meanLuminance: luminance)
    }
}
