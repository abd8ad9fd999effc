import LumenImaging
import LumenTensor

/// How far an int8 model's outputs are from its float model's on the same images:
/// the measure the quality targets of int8 are stated in.
public struct QuantizationQuality: Sendable {
    /// The PSNR in dB of each image's int8 output against its float output.
    public private(set) var psnrs: [Double] = []
    /// 8-bit values (channels x pixels) compared, and those more than one level apart.
    public private(set) var values = 0, valuesOffByMoreThanOne = 0

    public init() {}

    /// Adds one image's outputs (`[1, 3, H, W]` in `[0, 1]`).
    public mutating func add(quantized: Tensor, float: Tensor) {
        precondition(quantized.shape == float.shape, "outputs \(quantized.shape) and \(float.shape)")
        psnrs.append(psnr(quantized, float))
        let a = quantized.scalars, b = float.scalars
        values += a.count
        valuesOffByMoreThanOne += zip(a, b).count { abs(Self.level($0) - Self.level($1)) > 1 }
    }

    static func level(_ value: Float) -> Int { Int((min(max(value, 0), 1) * 255).rounded()) }

    /// The lowest PSNR over the images (infinite for identical outputs).
    public var worstPSNR: Double { psnrs.min() ?? .infinity }
    /// The mean PSNR, over the images whose outputs differ.
    public var meanPSNR: Double {
        let finite = psnrs.filter(\.isFinite)
        return finite.isEmpty ? .infinity : finite.reduce(0, +) / Double(finite.count)
    }
    /// The fraction of 8-bit values more than one level from the float output's.
    public var fractionOffByMoreThanOne: Double { values == 0 ? 0 : Double(valuesOffByMoreThanOne) / Double(values) }
}
