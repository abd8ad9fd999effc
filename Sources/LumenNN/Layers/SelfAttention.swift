import LumenTensor

/// SAGAN self-attention (Zhang et al., ICML 2019) over the positions of a
/// `[N, C, H, W]` feature map.
///
/// 1x1 convolutions give queries and keys with `C / 8` channels and values with
/// `C`; every position attends to all `H·W` positions with
/// `softmax_j(q_iᵀ k_j)`, and the attended values are added back scaled by a
/// learned `gamma` that starts at 0, so the block begins as the identity:
/// `y = gamma · (V · Aᵀ) + x`.
///
/// Attention is quadratic in the number of positions: use it on low-resolution
/// feature maps (a discriminator's deeper layers).
public final class SelfAttention: Module, UnaryLayer, @unchecked Sendable {
    /// `C -> C/8`, 1x1.
    public let query: Conv2d
    /// `C -> C/8`, 1x1.
    public let key: Conv2d
    /// `C -> C`, 1x1.
    public let value: Conv2d
    /// `[1]`, the weight of the attended values; zero initially.
    public let gamma: Tensor

    /// Creates the block for `channels` channels (at least 8).
    public init(channels: Int, using generator: inout some RandomNumberGenerator) {
        precondition(channels >= 8, "self-attention needs at least 8 channels, got \(channels)")
        query = Conv2d(inputChannels: channels, outputChannels: channels / 8, kernelSize: 1, using: &generator)
        key = Conv2d(inputChannels: channels, outputChannels: channels / 8, kernelSize: 1, using: &generator)
        value = Conv2d(inputChannels: channels, outputChannels: channels, kernelSize: 1, using: &generator)
        gamma = Tensor(zeros: [1]).trainable()
    }

    /// Attends over the positions of `x` `[N, C, H, W]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let positions = h * w
        let queries = query(x).reshaped([n, c / 8, positions]).transposed()   // [N, HW, C/8]
        let keys = key(x).reshaped([n, c / 8, positions])                     // [N, C/8, HW]
        let attention = queries.matmul(keys).softmax(axis: -1)                // [N, HW, HW], rows sum to 1
        let values = value(x).reshaped([n, c, positions])                     // [N, C, HW]
        let attended = values.matmul(attention.transposed()).reshaped(x.shape)
        return gamma * attended + x
    }
}
