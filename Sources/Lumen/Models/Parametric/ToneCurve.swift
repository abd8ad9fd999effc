import Foundation
import LumenIO
import LumenTensor

/// A global tone curve of three scalars, the output of ``ParametricEnhancer``:
/// `y = clamp((x^gamma − 0.5) · contrast + 0.5 + brightness, 0, 1)` for `x` in `[0, 1]`.
///
/// Gamma below 1 brightens the shadows, contrast stretches around mid-grey and
/// brightness shifts the result. With `gamma` and `contrast` positive the curve is
/// non-decreasing, so it never inverts tones. The same curve is evaluated on tensors
/// (differentiably, for training, ``applied(_:to:)``) and on code values through a
/// look-up table (for speed, ``lookupTable(bitDepth:)``); both compute in `Float`
/// with the same operations in the same order.
///
/// ```swift
/// let curve = ToneCurve(gamma: 0.6, contrast: 1.1, brightness: 0.02)
/// let brighter = curve.lookupTable(bitDepth: photo.bitDepth).applied(to: photo)
/// ```
public struct ToneCurve: Equatable, Sendable {
    /// The exponent applied first, in ``gammaRange`` when predicted by a model.
    public var gamma: Float
    /// The slope around mid-grey, in ``contrastRange`` when predicted by a model.
    public var contrast: Float
    /// The offset added last, in ``brightnessRange`` when predicted by a model.
    public var brightness: Float

    /// The gammas a model can predict, `2^(2·tanh(a))`.
    public static let gammaRange: ClosedRange<Float> = 0.25...4
    /// The contrasts a model can predict, `2^tanh(b)`.
    public static let contrastRange: ClosedRange<Float> = 0.5...2
    /// The brightness offsets a model can predict, `0.25·tanh(c)`.
    public static let brightnessRange: ClosedRange<Float> = -0.25...0.25

    /// The smallest base raised to the power: `0^gamma` has an infinite derivative
    /// in gamma (`log 0`), so black is lifted to this value first.
    static let smallestBase: Float = 1e-6

    /// Creates a curve; the defaults leave an image unchanged. The curve is
    /// non-decreasing when `gamma` and `contrast` are positive.
    public init(gamma: Float = 1, contrast: Float = 1, brightness: Float = 0) {
        (self.gamma, self.contrast, self.brightness) = (gamma, contrast, brightness)
    }

    /// The curve that leaves every value unchanged.
    public static let identity = ToneCurve()

    /// The curve at `x`, a value in `[0, 1]`; the result is in `[0, 1]`.
    public func callAsFunction(_ x: Float) -> Float {
        let powered = Foundation.pow(min(max(x, Self.smallestBase), 1), gamma)
        return min(max((powered - 0.5) * contrast + 0.5 + brightness, 0), 1)
    }

    /// The curve at every code value of an image of `bitDepth` bits, rounded to the
    /// nearest code as ``Image/init(tensor:bitDepth:)`` rounds: 256 entries for 8 bits,
    /// 65,536 for 16 (built in parallel chunks: one `pow` per entry).
    public func lookupTable(bitDepth: Int) -> LookupTable {
        precondition(bitDepth == 8 || bitDepth == 16, "bit depth \(bitDepth); expected 8 or 16")
        let levels = 1 << bitDepth, maximum = Float(levels - 1)
        let entries = [UInt16](unsafeUninitializedCapacity: levels) { entries, count in
            parallelFor(levels, grain: 4_096) { codes in
                for code in codes {
                    entries[code] = UInt16((self(Float(code) / maximum) * maximum).rounded(.toNearestOrEven))
                }
            }
            count = levels
        }
        return LookupTable(bitDepth: bitDepth, entries: entries)
    }

    /// A tone curve sampled at every code value of one bit depth.
    public struct LookupTable: Equatable, Sendable {
        /// The bit depth of the images the table maps, 8 or 16.
        public let bitDepth: Int
        /// The output code for each input code, `2^bitDepth` entries.
        public let entries: [UInt16]

        /// Maps every colour sample of `image` through the table.
        ///
        /// The image is made RGB first as ``Image/rgb()`` does (gray replicated, alpha
        /// dropped), so the result has 3 channels like every ``ImageEnhancer``'s.
        /// Samples are mapped in parallel chunks (``parallelFor(_:grain:_:)``).
        /// - Parameter image: an image of the table's ``bitDepth``.
        public func applied(to image: Image) -> Image {
            precondition(image.bitDepth == bitDepth, "a \(bitDepth)-bit table applied to a \(image.bitDepth)-bit image")
            let source = image.rgb()
            let mapped = [UInt16](unsafeUninitializedCapacity: source.samples.count) { output, count in
                source.samples.withUnsafeBufferPointer { input in
                    entries.withUnsafeBufferPointer { table in
                        parallelFor(input.count, grain: 1 << 16) { range in
                            for index in range { output[index] = table[Int(input[index])] }
                        }
                    }
                }
                count = source.samples.count
            }
            return Image(width: image.width, height: image.height, channels: 3, bitDepth: bitDepth, samples: mapped)
        }
    }
}

extension ToneCurve {
    /// Bounded curve scalars from unbounded network outputs, differentiably.
    /// - Parameter raw: `[N, 3]`, columns `a`, `b`, `c`.
    /// - Returns: `[N, 3]`: gamma `2^(2·tanh a)`, contrast `2^tanh b`, brightness `0.25·tanh c`.
    static func curves(fromRaw raw: Tensor) -> Tensor {
        let squashed = raw.tanh()
        let ln2 = Float(M_LN2)
        let gamma = (squashed.sliced(axis: 1, range: 0..<1) * (2 * ln2)).exp()
        let contrast = (squashed.sliced(axis: 1, range: 1..<2) * ln2).exp()
        let brightness = squashed.sliced(axis: 1, range: 2..<3) * brightnessRange.upperBound
        return Tensor.concatenated([gamma, contrast, brightness], axis: 1)
    }

    /// Applies one curve per image of a batch, differentiably in both arguments.
    ///
    /// The same formula as ``callAsFunction(_:)``: the gradient is zero where the
    /// output is clipped to 0 or 1.
    /// - Parameters:
    ///   - curves: `[N, 3]`, columns gamma, contrast, brightness.
    ///   - image: `[N, C, H, W]` in `[0, 1]`.
    /// - Returns: `[N, C, H, W]` in `[0, 1]`.
    public static func applied(_ curves: Tensor, to image: Tensor) -> Tensor {
        precondition(curves.shape == [image.shape[0], 3], "curves of shape \(curves.shape) for images \(image.shape)")
        func column(_ index: Int) -> Tensor {
            curves.sliced(axis: 1, range: index..<index + 1).reshaped([image.shape[0], 1, 1, 1])
        }
        let powered = image.clamped(min: smallestBase, max: 1).pow(column(0))
        return ((powered - 0.5) * column(1) + 0.5 + column(2)).clamped(min: 0, max: 1)
    }

    /// The curves of a batch, one per row of `curves` `[N, 3]` (gamma, contrast, brightness).
    public static func rows(of curves: Tensor) -> [ToneCurve] {
        precondition(curves.shape.rank == 2 && curves.shape[1] == 3, "curves of shape \(curves.shape); expected [N, 3]")
        let values = curves.scalars
        return stride(from: 0, to: values.count, by: 3).map {
            ToneCurve(gamma: values[$0], contrast: values[$0 + 1], brightness: values[$0 + 2])
        }
    }
}
