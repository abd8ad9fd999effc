import LumenTensor

/// How calibration turns the values an activation took into its range.
public enum CalibrationMethod: String, CaseIterable, Sendable {
    /// The smallest and largest value seen.
    case minmax
    /// The 0.01st and 99.99th percentiles of the values seen: a few outliers no
    /// longer stretch the steps of every other value.
    case percentile
}

/// Collects the values named activations take over the calibration images, and
/// gives each group of activations (those that share one quantisation, such as the
/// parts of a concatenation) a range.
public struct ActivationObserver: Sendable {
    public let method: CalibrationMethod
    private var minimum: [String: Float] = [:], maximum: [String: Float] = [:]
    private var samples: [String: [Float]] = [:]
    /// Values kept per tensor and image for the percentiles (an even subsample).
    static let samplesPerTensor = 1 << 16

    public init(method: CalibrationMethod) { self.method = method }

    /// Records the values of `tensor` under `name`.
    public mutating func observe(_ tensor: Tensor, as name: String) {
        let values = tensor.scalars
        minimum[name] = min(minimum[name] ?? .infinity, values.min() ?? .infinity)
        maximum[name] = max(maximum[name] ?? -.infinity, values.max() ?? -.infinity)
        guard method == .percentile else { return }
        let step = max(1, values.count / Self.samplesPerTensor)
        samples[name, default: []].append(contentsOf: stride(from: 0, to: values.count, by: step).map { values[$0] })
    }

    /// The range covering the activations `names` together.
    /// - Precondition: every name was observed.
    public func range(of names: [String]) -> ClosedRange<Float> {
        precondition(names.allSatisfy { minimum[$0] != nil }, "unobserved activations among \(names)")
        switch method {
        case .minmax:
            return names.map { minimum[$0]! }.min()! ... names.map { maximum[$0]! }.max()!
        case .percentile:
            let values = names.flatMap { samples[$0]! }.sorted()
            let low = values[Int(Double(values.count - 1) * 0.0001)], high = values[Int((Double(values.count - 1) * 0.9999).rounded(.up))]
            return low...high
        }
    }

    /// The `bits`-bit quantisation covering the activations `names` together.
    public func quantization(of names: String..., bits: Int = 8) -> ActivationQuantization {
        ActivationQuantization(covering: range(of: names), bits: bits)
    }
}
