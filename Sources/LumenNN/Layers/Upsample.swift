import LumenTensor

/// Resizes `[N, C, H, W]` by a scale factor, as PyTorch's `nn.Upsample(scale_factor:)`:
/// output `[N, C, ⌊H·scaleFactor⌋, ⌊W·scaleFactor⌋]`.
///
/// ```swift
/// let up = Upsample(scaleFactor: 2, mode: .bilinear(alignCorners: false))
/// ```
public final class Upsample: Module, UnaryLayer, @unchecked Sendable {
    /// How output samples are interpolated.
    public enum Mode: Hashable, Sendable {
        /// Nearest neighbour, PyTorch's `mode='nearest'`. The source index is
        /// `⌊i·H/outH⌋`, which equals PyTorch's `⌊i/scaleFactor⌋` for integer factors.
        case nearest
        /// Bilinear; `alignCorners` as PyTorch's `align_corners` (`false` uses
        /// `1/scaleFactor` as the coordinate ratio, as PyTorch does when given a scale factor).
        case bilinear(alignCorners: Bool)
    }

    /// Factor applied to height and width.
    public let scaleFactor: Double
    /// Interpolation mode.
    public let mode: Mode

    /// Creates the layer; `mode` defaults to nearest, as in PyTorch.
    public init(scaleFactor: Double, mode: Mode = .nearest) {
        precondition(scaleFactor > 0, "Upsample scale factor \(scaleFactor)")
        self.scaleFactor = scaleFactor
        self.mode = mode
    }

    /// Resizes `x` `[N, C, H, W]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let height = Int((Double(x.shape[2]) * scaleFactor).rounded(.down))
        let width = Int((Double(x.shape[3]) * scaleFactor).rounded(.down))
        switch mode {
        case .nearest:
            return x.resizedNearest(height: height, width: width)
        case .bilinear(let alignCorners):
            let ratio = 1 / scaleFactor
            return x.resizedBilinear(height: height, width: width, alignCorners: alignCorners,
                                     scale: alignCorners ? nil : (ratio, ratio))
        }
    }
}
