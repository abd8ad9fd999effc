import Lumen

/// How `lumen quantize` quantises: the calibration and the widths of weights and activations.
public struct QuantizationSettings: Sendable {
    public var method: CalibrationMethod
    /// Bits per weight, 7 or 8.
    public var weightBits: Int
    /// Bits per activation written by a convolution, 7 or 8; images stay 8-bit.
    public var activationBits: Int

    public init(method: CalibrationMethod = .minmax, weightBits: Int = 8, activationBits: Int = 8) {
        precondition([7, 8].contains(weightBits) && [7, 8].contains(activationBits), "weights and activations take 7 or 8 bits")
        (self.method, self.weightBits, self.activationBits) = (method, weightBits, activationBits)
    }

    /// The bits of a layer's weights. 7-bit activations are there so that AVX2
    /// multiplies them by 8-bit weights without saturating, so a layer that reads
    /// the 8-bit image then takes 7-bit weights, and every layer stays exact on AVX2.
    public func weightBits(readingImage: Bool) -> Int { readingImage && activationBits == 7 ? 7 : weightBits }

    /// The defaults for `model` on this CPU. With VNNI or NEON: 8-bit weights and
    /// activations. With AVX2 at best, measured on the held-out photos (README,
    /// "int8 quantisation"): 8-bit weights on 7-bit activations for Zero-DCE, whose
    /// error is in its weights; 7-bit weights on 8-bit activations for SCI, whose
    /// error is in its activations. Zero-DCE++ meets the quality target only with 8
    /// bits of both and keeps them everywhere: AVX2 computes them on the exact scalar
    /// kernels, slower than float there, but its time is the full-resolution curve
    /// steps, which int8 does not speed up on AVX2 at any width (README).
    public static func defaults(for model: ModelKind, eightBitPairs: Bool) -> QuantizationSettings {
        if eightBitPairs || model == .zeroDCEPlusPlus { return QuantizationSettings() }
        return model == .zeroDCE ? QuantizationSettings(weightBits: 8, activationBits: 7)
            : QuantizationSettings(weightBits: 7, activationBits: 8)
    }
}
