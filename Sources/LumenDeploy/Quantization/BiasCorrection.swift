import LumenTensor

/// Empirical bias correction (Nagel et al., "Data-Free Quantization", ICCV 2019):
/// rounding a layer's weights shifts the mean of its outputs by `conv(x, w − ŵ)`;
/// measured on the calibration images and added to the bias, the shift is undone.
/// Measured with float inputs, before any activation is quantised. The shift is
/// systematic, which is what moves whole regions of an output by more than one level.
public struct BiasCorrection: Sendable {
    private var sums: [String: [Double]] = [:], counts: [String: Int] = [:]
    /// Each layer's `w − ŵ`, made on its first image.
    private var errors: [String: Tensor] = [:]

    public init() {}

    /// Adds the shift of layer `name` (float weight `weight`, quantised `quantized`,
    /// the same for every call with that name) on `input` `[1, C, H, W]`.
    public mutating func add(_ name: String, input: Tensor, weight: Tensor, quantized: QuantizedWeights,
                             padding: Int, groups: Int = 1) {
        let error = errors[name] ?? {
            let perChannel = weight.shape.elementCount / quantized.outChannels
            return Tensor(shape: weight.shape, scalars: weight.scalars.enumerated().map { i, w in
                w - Float(quantized.values[i]) * quantized.scales[i / perChannel]
            })
        }()
        errors[name] = error
        let shift = withoutGradients { conv2d(input, weight: error, padding: Pair(padding), groups: groups) }
        let plane = shift.shape[2] * shift.shape[3]
        let values = shift.scalars
        var sums = self.sums[name] ?? Array(repeating: 0, count: quantized.outChannels)
        for o in 0..<quantized.outChannels {
            sums[o] += values[o * plane ..< (o + 1) * plane].reduce(0) { $0 + Double($1) }
        }
        self.sums[name] = sums
        counts[name, default: 0] += plane
    }

    /// `quantized` with the mean shift measured for `name` added to its bias
    /// (unchanged when nothing was measured).
    public func corrected(_ quantized: QuantizedWeights, _ name: String) -> QuantizedWeights {
        guard let sums = sums[name], let count = counts[name], count > 0 else { return quantized }
        let bias = zip(quantized.bias, sums).map { $0 + Float($1 / Double(count)) }
        return QuantizedWeights(values: quantized.values, shape: quantized.shape, scales: quantized.scales, bias: bias)
    }
}
