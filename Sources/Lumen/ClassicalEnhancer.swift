import LumenImaging
import LumenTensor

/// A classical method (``ClassicalMethod``) as an enhancer, so that `lumen enhance
/// --method` and evaluations treat it like a learned model.
public struct ClassicalEnhancer: TensorEnhancer {
    /// The method and its default parameters.
    public let method: ClassicalMethod

    public init(_ method: ClassicalMethod) { self.method = method }

    public func enhanced(_ image: Tensor) -> Tensor { method.applied(to: image) }

    /// `nil`: histograms, channel means and percentiles depend on the whole image, so
    /// the methods run on the whole image (a few planes of its size: memory stays a
    /// small multiple of the image).
    public var receptiveRadius: Int? { nil }
}
