import LumenTensor

/// Average pooling over `[N, C, H, W]`, as PyTorch's `nn.AvgPool2d` with
/// `count_include_pad=True`: `outH = (H + 2·padding − kernelSize) / stride + 1`.
public final class AvgPool2d: Module, UnaryLayer, @unchecked Sendable {
    /// Side of the square window.
    public let kernelSize: Int
    /// Step between windows.
    public let stride: Int
    /// Zeros added on every side (counted in the divisor).
    public let padding: Int

    /// Creates the pooling layer; `stride` defaults to `kernelSize`.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }

    /// Pools `x` `[N, C, H, W]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.avgPool2d(kernelSize: kernelSize, stride: stride, padding: padding)
    }
}
