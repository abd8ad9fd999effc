import LumenIO
import LumenTensor

/// Anything that turns a photo into an enhanced photo of the same size: a learned
/// model or a classical method.
///
/// Implementations are immutable after creation, so one instance can serve
/// several threads.
public protocol ImageEnhancer: Sendable {
    /// Enhances an image; the output has the input's size (a model that needs
    /// sizes of a certain multiple crops first and says so) and 3 RGB channels.
    func enhance(_ image: Image) throws -> Image
}

/// A learned model that maps an RGB batch `[N, 3, H, W]` in `[0, 1]` to an
/// enhanced batch of the same shape.
public protocol TensorEnhancer: ImageEnhancer {
    /// The enhanced image `[N, 3, H, W]`, in `[0, 1]`.
    func enhanced(_ image: Tensor) -> Tensor

    /// How far, in pixels, an output pixel can see: tiles need at least this halo
    /// for tiled inference to equal whole-image inference. `nil` when the output
    /// depends on the whole image: such a model runs on the whole image, unless it
    /// overrides ``enhancedInTiles(_:tileSize:progress:)`` with an exact tiling of its own.
    var receptiveRadius: Int? { get }

    /// Tile windows start at multiples of this, for networks whose pooling pattern
    /// repeats every so many pixels (a U-Net); 1 by default.
    var tileAlignment: Int { get }

    /// The same result as ``enhanced(_:)``, computed tile by tile so that memory
    /// stays bounded on large photos.
    /// - Parameter progress: called after each tile with (tiles done, tiles in all).
    func enhancedInTiles(_ image: Tensor, tileSize: Int, progress: (Int, Int) -> Void) -> Tensor

    /// Why an image of this size cannot be enhanced with these settings (a Zero-DCE++
    /// scale larger than the image), or `nil` when it can. Callers check it before
    /// ``enhanced(_:)``, whose preconditions it mirrors, so that bad input is an error
    /// naming the file rather than a trap or an unbounded allocation.
    func sizeProblem(height: Int, width: Int) -> String?
}

extension TensorEnhancer {
    public var tileAlignment: Int { 1 }

    /// Any size will do.
    public func sizeProblem(height: Int, width: Int) -> String? { nil }

    /// Tiles with a halo of ``receptiveRadius`` (``TiledInference``), or the whole
    /// image at once when the radius is `nil`.
    public func enhancedInTiles(_ image: Tensor, tileSize: Int, progress: (Int, Int) -> Void) -> Tensor {
        guard receptiveRadius != nil else {
            defer { progress(1, 1) }
            return enhanced(image)
        }
        return TiledInference(tileSize: tileSize).run(self, on: image, progress: progress)
    }

    public func enhance(_ image: Image) throws -> Image {
        let input = image.rgb().tensor()
        let output = withoutGradients { enhanced(input) }
        return Image(tensor: output, bitDepth: image.bitDepth)
    }
}
