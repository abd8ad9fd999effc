import LumenTensor

/// One element whose analytic and numerical gradients disagree.
public struct GradientMismatch: CustomStringConvertible, Sendable {
    public let input: Int, index: Int
    public let analytic: Double, numerical: Double
    public var description: String { "input \(input)[\(index)]: analytic \(analytic), numerical \(numerical)" }
}

/// Checks the backward rules behind `function` against central finite differences.
///
/// The output is projected to a scalar with fixed random weights (a plain sum
/// would hide errors that cancel), every input is checked (broadcast ones too) at
/// up to `maxElements` positions per input, with step `ε = step · max(1, |x|)`,
/// and the projection accumulated in Double.
/// - Returns: the elements where `|analytic − numerical| > atol + rtol · |numerical|`.
public func checkGradients(
    _ inputs: [Tensor], atol: Double = 2e-3, rtol: Double = 1e-2, step: Double = 1e-3,
    maxElements: Int = 48, seed: UInt64 = 7, _ function: ([Tensor]) -> Tensor
) -> [GradientMismatch] {
    for input in inputs { input.requiresGradient = true; input.zeroGradient() }
    let output = function(inputs)
    var generator = SplitMix64(seed: seed)
    let projection = Tensor.uniform(shape: output.shape, in: -1...1, using: &generator)
    (output * projection).sum().backward()
    let weights = projection.scalars.map(Double.init)

    func projected() -> Double {
        let values = withoutGradients { function(inputs) }.scalars
        var total = 0.0
        for (value, weight) in zip(values, weights) { total += Double(value) * weight }
        return total
    }

    var mismatches: [GradientMismatch] = []
    for (inputIndex, input) in inputs.enumerated() {
        let analytic = input.gradient?.scalars ?? [Float](repeating: 0, count: input.scalarCount)
        var positions = Array(0..<input.scalarCount)
        if positions.count > maxElements {
            positions.shuffle(using: &generator)
            positions = Array(positions.prefix(maxElements)).sorted()
        }
        for index in positions {
            let original = input.withUnsafeBufferPointer { $0[index] }
            let epsilon = step * max(1, Double(Swift.abs(original)))
            let plus = Float(Double(original) + epsilon), minus = Float(Double(original) - epsilon)
            input.withUnsafeMutableBufferPointer { $0[index] = plus }
            let high = projected()
            input.withUnsafeMutableBufferPointer { $0[index] = minus }
            let low = projected()
            input.withUnsafeMutableBufferPointer { $0[index] = original }
            let numerical = (high - low) / (Double(plus) - Double(minus))
            let value = Double(analytic[index])
            if Swift.abs(value - numerical) > atol + rtol * Swift.abs(numerical) {
                mismatches.append(GradientMismatch(input: inputIndex, index: index, analytic: value, numerical: numerical))
            }
        }
    }
    for input in inputs { input.zeroGradient() }
    return mismatches
}
