import LumenTensor
import LumenTestSupport
import Testing

/// Every differentiable primitive against central finite differences.
@Suite struct GradientCheckTests {
    @Test(arguments: DifferentiableOp.allCases)
    func backwardMatchesFiniteDifferences(_ op: DifferentiableOp) {
        let testCase = GradientCase.make(for: op)
        let mismatches = checkGradients(testCase.inputs, atol: testCase.atol, rtol: testCase.rtol, testCase.function)
        #expect(mismatches.isEmpty, "\(testCase.op): \(mismatches.prefix(5))")
    }

    @Test func compositesMatchFiniteDifferences() {
        var g = SplitMix64(seed: 11)
        let x = Tensor.uniform(shape: [2, 3, 4, 5], in: -1...1, using: &g)
        let w = Tensor.uniform(shape: [3], in: 0.5...1.5, using: &g), b = Tensor.uniform(shape: [3], in: -1...1, using: &g)
        let composites: [(String, ([Tensor]) -> Tensor)] = [
            ("variance", { $0[0].variance(axes: [1, 3], keepDimensions: true, unbiased: true) }),
            ("mean", { $0[0].mean(axes: [0, 2]) }),
            ("instanceNorm", { $0[0].instanceNormalized(weight: $0[1], bias: $0[2]) }),
            ("split", { x in let parts = x[0].split(sizes: [1, 2], axis: 1); return parts[1] * 2 + parts[0].sum() }),
            ("linear", { $0[0].reshaped([8, 15]).linear(weight: $0[0].reshaped([8, 15]).sliced(axis: 0, range: 0..<3), bias: $0[2]) }),
        ]
        for (name, function) in composites {
            let mismatches = checkGradients([x, w, b], function)
            #expect(mismatches.isEmpty, "\(name): \(mismatches.prefix(5))")
        }
    }

    @Test func gradientsAccumulateAcrossBackwardCalls() {
        let w = Tensor(shape: [2], scalars: [1, -2], requiresGradient: true)
        (w * w).sum().backward()
        (w * 3).sum().backward()
        #expect(w.gradient?.scalars == [5, -1])
    }

    @Test func noGradientScopeRecordsNothing() {
        let w = Tensor(shape: [2], scalars: [1, 2], requiresGradient: true)
        let y = withoutGradients { (w * w).sum() }
        #expect(!y.requiresGradient)
    }
}
