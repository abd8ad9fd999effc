import LumenTensor

/// Auto levels: each channel is stretched linearly so that its `clipFraction`
/// quantile maps to 0 and its `1 − clipFraction` quantile to 1, clamping the tails
/// (the "simplest colour balance" of Limare et al., IPOL 2011). Stretching channels
/// separately also neutralises a colour cast.
///
/// Quantiles come from a 4096-bin histogram between the channel's minimum and
/// maximum; with `clipFraction` 0 the stretch maps the minimum to 0 and the maximum
/// to 1 exactly. A constant channel is left unchanged.
///
/// ```swift
/// let stretched = AutoLevels(clipFraction: 0.005).applied(to: image)
/// ```
public struct AutoLevels: Equatable, Sendable {
    /// The fraction of pixels clipped at each end, in `[0, 0.5)`.
    public let clipFraction: Float

    /// Creates the method; the default clips 0.5 % of the pixels at each end.
    public init(clipFraction: Float = 0.005) {
        precondition(clipFraction >= 0 && clipFraction < 0.5, "clip fraction \(clipFraction); expected [0, 0.5)")
        self.clipFraction = clipFraction
    }

    /// Stretches each channel of each image.
    /// - Parameter image: RGB image `[N, 3, H, W]` in `[0, 1]`.
    /// - Returns: The same shape, in `[0, 1]`.
    public func applied(to image: Tensor) -> Tensor {
        mappingImages(image) { planes in
            planes.map { plane in
                let (low, high) = plane.quantiles(clipFraction)
                return high > low ? plane.stretched(from: low, to: high) : plane
            }
        }
    }
}

extension Plane<Float> {
    /// The values below which lie `fraction` and above which lie `fraction` of the
    /// pixels, to within 1/4096 of the value range: the lower edge of the histogram
    /// bin holding the `⌊fraction · n⌋`-th smallest value and the upper edge of the
    /// bin holding as many from the top.
    func quantiles(_ fraction: Float) -> (low: Float, high: Float) {
        let (minimum, maximum) = values.reduce((Float.infinity, -Float.infinity)) { (min($0.0, $1), max($0.1, $1)) }
        guard maximum > minimum else { return (minimum, maximum) }
        let binCount = 4096
        let binWidth = (maximum - minimum) / Float(binCount)
        let counts = values.withUnsafeBufferPointer { values in
            histogram(binCount: binCount, count: values.count) { min(Int((values[$0] - minimum) / binWidth), binCount - 1) }
        }
        let clipped = Int(fraction * Float(values.count))
        var (lowBin, seen) = (0, counts[0])
        while seen <= clipped { lowBin += 1; seen += counts[lowBin] }
        var (highBin, seenFromTop) = (binCount - 1, counts[binCount - 1])
        while seenFromTop <= clipped { highBin -= 1; seenFromTop += counts[highBin] }
        let low = lowBin == 0 ? minimum : minimum + Float(lowBin) * binWidth
        let high = highBin == binCount - 1 ? maximum : minimum + Float(highBin + 1) * binWidth
        return (low, high)
    }

    /// `clamp((v − low) / (high − low), 0, 1)` for every value.
    func stretched(from low: Float, to high: Float) -> Plane<Float> {
        let scale = 1 / (high - low)
        return mapped { min(max(($0 - low) * scale, 0), 1) }
    }
}
