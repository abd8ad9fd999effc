import Lumen
import LumenTensor

/// One convolution's weights quantised per output channel, symmetrically:
/// `w[o][...] ≈ scales[o] · values[o][...]`, with the bias kept in float.
public struct QuantizedWeights: Sendable, Equatable {
    /// The integers, `[outChannels, inChannels, kernelHeight, kernelWidth]` row-major.
    public let values: [Int8]
    /// `[outChannels, inChannels, kernelHeight, kernelWidth]`.
    public let shape: [Int]
    /// One per output channel; positive.
    public let scales: [Float]
    /// One per output channel, in real units.
    public let bias: [Float]

    public var outChannels: Int { shape[0] }
    public var inChannels: Int { shape[1] }
    public var kernelSize: Int { shape[2] }

    /// Quantises `weight` `[O, C, k, k]` to `bits` bits per output channel:
    /// `scale = max|w| / (2^(bits−1) − 1)`, values rounded to the nearest step. A
    /// channel of zeros gets scale 1 (any scale represents it exactly). (Clipping to
    /// the scale of least squared error was tried: it costs the official Zero-DCE
    /// 1.5 dB, whose largest weights matter most.)
    public init(weight: Tensor, bias: Tensor?, bits: Int) {
        precondition((2...8).contains(bits), "weights of \(bits) bits")
        precondition(weight.shape.rank == 4 && weight.shape[2] == weight.shape[3], "square convolution weights [O, C, k, k], got \(weight.shape)")
        let shape = weight.shape.dimensions
        let perChannel = shape[1] * shape[2] * shape[3]
        let levels = Float((1 << (bits - 1)) - 1)
        let w = weight.scalars
        var values = [Int8](repeating: 0, count: w.count), scales = [Float](repeating: 1, count: shape[0])
        for o in 0..<shape[0] {
            let range = o * perChannel ..< (o + 1) * perChannel
            let widest = w[range].map(abs).max() ?? 0
            guard widest > 0 else { continue }
            scales[o] = widest / levels
            for i in range { values[i] = Int8((w[i] / scales[o]).rounded().clamped(-levels, levels)) }
        }
        self.init(values: values, shape: shape, scales: scales, bias: bias?.scalars ?? Array(repeating: 0, count: shape[0]))
    }

    init(values: [Int8], shape: [Int], scales: [Float], bias: [Float]) {
        (self.values, self.shape, self.scales, self.bias) = (values, shape, scales, bias)
    }

    /// The widest value in bits, 7 or 8.
    public var bits: Int { values.allSatisfy { abs(Int($0)) <= 63 } ? 7 : 8 }

    /// These weights reading input channels made of `parts` (summing to
    /// ``inChannels``), with zero weights inserted so that every part but the last
    /// starts on a quad: the layout of concatenated ``QuantizedActivations``.
    public func spreadingInput(over parts: [Int]) -> QuantizedWeights {
        precondition(parts.reduce(0, +) == inChannels, "parts \(parts) of \(inChannels) input channels")
        let starts = parts.dropLast().reduce(into: [0]) { $0.append($0.last! + ($1 + 3) / 4 * 4) }
        let spread = starts.last! + parts.last!
        let taps = kernelSize * kernelSize
        var result = [Int8](repeating: 0, count: outChannels * spread * taps)
        for o in 0..<outChannels {
            var c = 0
            for (part, count) in parts.enumerated() {
                for i in 0..<count {
                    for t in 0..<taps { result[(o * spread + starts[part] + i) * taps + t] = values[(o * inChannels + c) * taps + t] }
                    c += 1
                }
            }
        }
        return QuantizedWeights(values: result, shape: [outChannels, spread, kernelSize, kernelSize], scales: scales, bias: bias)
    }

    /// An ``Int8Convolution`` of these weights reading `input` with padding `padding`.
    public func convolution(reading input: ActivationQuantization, padding: Int, output: Int8ConvolutionOutput) -> Int8Convolution {
        Int8Convolution(weights: values, outChannels: outChannels, inChannels: inChannels, kernelHeight: kernelSize,
                        kernelWidth: kernelSize, padding: padding, weightScales: scales, bias: bias,
                        inputScale: input.scale, inputZeroPoint: input.zeroPoint, output: output)
    }

    /// These weights as a depthwise convolution (shape `[C, 1, k, k]`).
    public func depthwiseConvolution(reading input: ActivationQuantization, padding: Int,
                                     output: ActivationQuantization) -> Int8DepthwiseConvolution {
        precondition(inChannels == 1, "depthwise weights are [C, 1, k, k], got \(shape)")
        return Int8DepthwiseConvolution(weights: values, channels: outChannels, kernelSize: kernelSize, padding: padding,
                                        weightScales: scales, bias: bias, inputScale: input.scale,
                                        inputZeroPoint: input.zeroPoint, output: output.bytes(relu: false))
    }

    /// Depthwise weights for channels made of `parts`, each but the last padded to a
    /// quad with zero filters (bias 0), as ``spreadingInput(over:)`` lays them out.
    public func spreadingChannels(over parts: [Int]) -> QuantizedWeights {
        precondition(inChannels == 1 && parts.reduce(0, +) == outChannels, "parts \(parts) of depthwise \(shape)")
        let taps = kernelSize * kernelSize
        var values: [Int8] = [], scales: [Float] = [], bias: [Float] = []
        var c = 0
        for (part, count) in parts.enumerated() {
            let padded = part == parts.count - 1 ? count : (count + 3) / 4 * 4
            for i in 0..<padded {
                if i < count {
                    values += self.values[c * taps ..< (c + 1) * taps]
                    scales.append(self.scales[c]); bias.append(self.bias[c]); c += 1
                } else {
                    values += repeatElement(0, count: taps); scales.append(1); bias.append(0)
                }
            }
        }
        return QuantizedWeights(values: values, shape: [scales.count, 1, kernelSize, kernelSize], scales: scales, bias: bias)
    }
}

extension Float {
    /// `self` within `low ... high`.
    func clamped(_ low: Float, _ high: Float) -> Float { Swift.min(Swift.max(self, low), high) }
}
