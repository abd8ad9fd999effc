import LumenTensor

/// How one activation tensor is stored in bytes: `value ≈ scale · (byte − zeroPoint)`,
/// bytes in `0 ... maximum`.
public struct ActivationQuantization: Sendable, Equatable {
    public let scale: Float
    public let zeroPoint: UInt8
    /// 255 for 8-bit activations, 127 for 7-bit ones (which AVX2 multiplies by
    /// 8-bit weights exactly).
    public let maximum: UInt8

    public init(scale: Float, zeroPoint: UInt8, maximum: UInt8 = 255) {
        precondition(scale > 0 && scale.isFinite, "activation scale must be positive and finite, got \(scale)")
        precondition(zeroPoint <= maximum, "zero point \(zeroPoint) above the largest byte \(maximum)")
        (self.scale, self.zeroPoint, self.maximum) = (scale, zeroPoint, maximum)
    }

    /// The number of bits the bytes use, 7 or 8.
    public var bits: Int { maximum > 127 ? 8 : 7 }

    /// Covers `range` with `2^bits` steps. A range starting at 0 or above (ReLU
    /// outputs, images) has zero point 0 and spans `[0, upper]`; one reaching below 0
    /// is asymmetric, its zero point the byte nearest 0. An empty or zero range gets
    /// scale 1, which represents its zeros exactly.
    public init(covering range: ClosedRange<Float>, bits: Int = 8) {
        precondition(bits == 7 || bits == 8, "activations of \(bits) bits")
        let maximum: UInt8 = bits == 8 ? 255 : 127
        let lower = min(range.lowerBound, 0), upper = max(range.upperBound, 0)
        guard upper > lower else {
            self.init(scale: 1, zeroPoint: 0, maximum: maximum)
            return
        }
        let scale = (upper - lower) / Float(maximum)
        self.init(scale: scale, zeroPoint: UInt8((-lower / scale).rounded().clamped(0, Float(maximum))), maximum: maximum)
    }

    /// 8-bit images: steps of 1/255 from 0, lossless for 8-bit photos.
    public static let image = ActivationQuantization(scale: 1 / 255, zeroPoint: 0)

    /// The output of a convolution writing these bytes.
    public func bytes(relu: Bool) -> Int8ConvolutionOutput { .bytes(scale: scale, zeroPoint: zeroPoint, maximum: maximum, relu: relu) }

    /// Empty activations of this quantisation.
    public func activations(channels: Int, height: Int, width: Int, border: Int) -> QuantizedActivations {
        QuantizedActivations(channels: channels, height: height, width: width, border: border, scale: scale,
                             zeroPoint: zeroPoint, maximum: maximum)
    }

    /// `tensor` `[1, C, H, W]` quantised.
    public func quantizing(_ tensor: Tensor, border: Int) -> QuantizedActivations {
        QuantizedActivations(quantizing: tensor, scale: scale, zeroPoint: zeroPoint, maximum: maximum, border: border)
    }
}
