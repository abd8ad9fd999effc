import LumenImaging
import LumenIO

/// Enlargement by MATLAB's bicubic `imresize` (``Image/resizedLikeMATLAB(width:height:)``),
/// rounded to the bit depth: the baseline every super-resolution table starts from.
public struct BicubicUpscaler: ImageRestorer {
    public let scaleFactor: Int

    public init(scale: Int) {
        precondition(scale >= 1, "bicubic scale \(scale)")
        scaleFactor = scale
    }

    /// The whole image at once (the resize holds two double-precision planes); the
    /// luma is that of the rounded result, as the protocol scores the baseline.
    public func restore(_ image: Image, options: RestorationOptions, progress: (Int, Int) -> Void) -> Restoration {
        defer { progress(1, 1) }
        let color = image.colorChannels.converted(toBitDepth: options.bitDepth)
        let result = color.resizedLikeMATLAB(width: image.width * scaleFactor, height: image.height * scaleFactor)
        return Restoration(image: result, luma: options.computesLuma ? result.protocolLuma : nil)
    }
}
