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
/// - Parameter differentiatesInside: whether `function` itself takes gradients
///   (a second-derivative check), so that the finite differences must be
///   evaluated with recording on.
/// - Returns: the elements where `|analytic − numerical| > atol + rtol · |numerical|`.
public func checkGradients(
    _ inputs: [Tensor], atol: Double = 2e-3, rtol: Double = 1e-2, step: Double = 1e-3,
    maxElements: Int = 48, seed: UInt64 = 7, differentiatesInside: Bool = false, _ function: ([Tensor]) -> Tensor
) -> [GradientMismatch] {
    for input in inputs { input.requiresGradient = true; input.zeroGradient() }
    let output = function(inputs)
    var generator = SplitMix64(seed: seed)
    let projection = Tensor.uniform(shape: output.shape, in: -1...1, using: &generator)
    (output * projection).sum().backward()
    let weights = projection.scalars.map(Double.init)

    func projected() -> Double {
        let values = (differentiatesInside ? function(inputs) : withoutGradients { function(inputs) }).scalars
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

/// The function whose finite-difference check tests second derivatives of
/// `function`: its output, flattened, followed by the gradient of a fixed random
/// projection of it with respect to every input, computed with a recorded
/// backward pass. Check it with `differentiatesInside: true`.
public func withFirstDerivatives(seed: UInt64 = 13, _ function: @escaping ([Tensor]) -> Tensor) -> ([Tensor]) -> Tensor {
    var projection: Tensor?
    return { inputs in
        let output = function(inputs)
        if projection == nil {
            var generator = SplitMix64(seed: seed)
            projection = Tensor.uniform(shape: output.shape, in: -1...1, using: &generator)
        }
        let slopes = gradients(of: (output * projection!).sum(), withRespectTo: inputs, createGraph: true)
        return Tensor.concatenated(([output] + slopes).map { $0.reshaped([$0.scalarCount]) }, axis: 0)
    }
}
