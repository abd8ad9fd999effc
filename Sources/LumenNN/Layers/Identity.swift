import LumenTensor

/// Returns its input: the "no layer" choice where a block takes a layer, such as
/// the normalisation of a discriminator trained with spectral norm.
public final class Identity: Module, UnaryLayer, @unchecked Sendable {
    public override init() {}

    public func callAsFunction(_ x: Tensor) -> Tensor { x }
}
