import LumenImaging
import LumenTensor

/// A classical method (``ClassicalMethod``) as an enhancer, so that `lumen enhance
/// --method` and evaluations treat it like a learned model.
public struct ClassicalEnhancer: TensorEnhancer {
    /// The method and its default parameters.
    public let method: ClassicalMethod

    public init(_ method: ClassicalMethod) { self.method = method }

    public func enhanced(_ image: Tensor) -> Tensor { method.applied(to: image) }

    /// `nil`: histograms, channel means and percentiles depend on the whole image.
    public var receptiveRadius: Int? { nil }

    /// The whole image at once, since tiles would change the statistics the methods
    /// use; the methods work on a few planes of the image's size, so memory stays
    /// a small multiple of the image.
    public func enhancedInTiles(_ image: Tensor, tileSize: Int, progress: (Int, Int) -> Void) -> Tensor {
        let result = enhanced(image)
        progress(1, 1)
        return result
    }
}
