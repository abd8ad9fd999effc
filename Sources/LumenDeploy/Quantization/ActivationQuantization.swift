import LumenTensor

/// How one activation tensor is stored in bytes: `value ≈ scale · (byte − zeroPoint)`.
public struct ActivationQuantization: Sendable, Equatable {
    public let scale: Float
    public let zeroPoint: UInt8

    public init(scale: Float, zeroPoint: UInt8) {
        precondition(scale > 0 && scale.isFinite, "activation scale must be positive and finite, got \(scale)")
        (self.scale, self.zeroPoint) = (scale, zeroPoint)
    }

    /// Covers `range` with 256 steps. A range starting at 0 or above (ReLU outputs,
    /// images) has zero point 0 and spans `[0, upper]`; one reaching below 0 is
    /// asymmetric, its zero point the byte nearest 0. An empty or zero range gets
    /// scale 1, which represents its zeros exactly.
    public init(covering range: ClosedRange<Float>) {
        let lower = min(range.lowerBound, 0), upper = max(range.upperBound, 0)
        guard upper > lower else {
            self.init(scale: 1, zeroPoint: 0)
            return
        }
        let scale = (upper - lower) / 255
        self.init(scale: scale, zeroPoint: UInt8((-lower / scale).rounded().clamped(0, 255)))
    }

    /// 8-bit images: steps of 1/255 from 0, lossless for 8-bit photos.
    public static let image = ActivationQuantization(scale: 1 / 255, zeroPoint: 0)

    /// The output of a convolution writing these bytes.
    public func bytes(relu: Bool) -> Int8ConvolutionOutput { .bytes(scale: scale, zeroPoint: zeroPoint, relu: relu) }

    /// Empty activations of this quantisation.
    public func activations(channels: Int, height: Int, width: Int, border: Int) -> QuantizedActivations {
        QuantizedActivations(channels: channels, height: height, width: width, border: border, scale: scale, zeroPoint: zeroPoint)
    }

    /// `tensor` `[1, C, H, W]` quantised.
    public func quantizing(_ tensor: Tensor, border: Int) -> QuantizedActivations {
        QuantizedActivations(quantizing: tensor, scale: scale, zeroPoint: zeroPoint, border: border)
    }
}
