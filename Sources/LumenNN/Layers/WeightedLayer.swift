import LumenTensor

/// A layer that can run with another weight in place of its own: what weight
/// reparametrisations such as ``SpectralNorm`` wrap.
public protocol WeightedLayer: UnaryLayer {
    /// The trainable weight.
    var weight: Tensor { get }
    /// The trainable bias, if any.
    var bias: Tensor? { get }
    /// The axis of ``weight`` that indexes output features: 0 for ``Conv2d`` and
    /// ``Linear``, 1 for ``ConvTranspose2d`` (PyTorch's `dim` of `spectral_norm`).
    static var outputAxis: Int { get }
    /// Applies the layer to `x` with `weight`, shaped like ``weight``, instead of its own.
    func callAsFunction(_ x: Tensor, weight: Tensor) -> Tensor
}

extension Conv2d: WeightedLayer {
    public static var outputAxis: Int { 0 }

    public func callAsFunction(_ x: Tensor, weight: Tensor) -> Tensor {
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}

extension ConvTranspose2d: WeightedLayer {
    public static var outputAxis: Int { 1 }

    public func callAsFunction(_ x: Tensor, weight: Tensor) -> Tensor {
        convTranspose2d(x, weight: weight, bias: bias, stride: stride, padding: padding,
                        outputPadding: outputPadding, dilation: dilation, groups: groups)
    }
}

extension Linear: WeightedLayer {
    public static var outputAxis: Int { 0 }

    public func callAsFunction(_ x: Tensor, weight: Tensor) -> Tensor {
        x.linear(weight: weight, bias: bias)
    }
}
