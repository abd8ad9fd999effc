import LumenTensor
import LumenTestSupport
import Testing

/// Every differentiable primitive against central finite differences.
@Suite struct GradientCheckTests {
    @Test(arguments: DifferentiableOp.allCases)
    func backwardMatchesFiniteDifferences(_ op: DifferentiableOp) {
        let testCase = GradientCase.make(for: op)
        let mismatches = checkGradients(testCase.inputs, atol: testCase.atol, rtol: testCase.rtol,
                                        differentiatesInside: testCase.differentiatesInside, testCase.function)
        #expect(mismatches.isEmpty, "\(testCase.op): \(mismatches.prefix(5))")
    }

    /// Second derivatives: the same cases, differentiated once with a recorded
    /// backward pass and then checked against finite differences of that gradient.
    @Test(arguments: DifferentiableOp.allCases.filter(\.hasDifferentiableBackward))
    func secondDerivativesMatchFiniteDifferences(_ op: DifferentiableOp) {
        let testCase = GradientCase.make(for: op)
        let mismatches = checkGradients(testCase.inputs, atol: testCase.atol, rtol: testCase.rtol,
                                        differentiatesInside: true, withFirstDerivatives(testCase.function))
        #expect(mismatches.isEmpty, "\(testCase.op): \(mismatches.prefix(5))")
        // The recorded backward rule computes the same first derivatives as the fused one.
        let output = testCase.function(testCase.inputs)
        var generator = SplitMix64(seed: 5)
        let objective = (output * Tensor.uniform(shape: output.shape, in: -1...1, using: &generator)).sum()
        let recorded = gradients(of: objective, withRespectTo: testCase.inputs, createGraph: true)
        let fused = gradients(of: objective, withRespectTo: testCase.inputs)
        for (index, (a, b)) in zip(recorded, fused).enumerated() {
            #expect(maxAbsoluteDifference(a.scalars, b.scalars) <= 1e-5, "\(testCase.op): input \(index)")
        }
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

    /// Composites a critic is made of, and a small critic's gradient penalty as a
    /// function of its input and weights.
    @Test func compositeSecondDerivativesMatchFiniteDifferences() {
        var g = SplitMix64(seed: 17)
        let x = Tensor.uniform(shape: [2, 3, 5, 4], in: -1...1, using: &g)
        let w1 = Tensor.uniform(shape: [4, 3, 3, 3], in: -0.5...0.5, using: &g)
        let w2 = Tensor.uniform(shape: [1, 4, 3, 3], in: -0.5...0.5, using: &g)
        let b = Tensor.uniform(shape: [4], in: -0.2...0.2, using: &g)
        let instanceNorm = checkGradients([x], differentiatesInside: true, withFirstDerivatives { $0[0].instanceNormalized() })
        #expect(instanceNorm.isEmpty, "instanceNorm: \(instanceNorm.prefix(5))")
        let penalty = checkGradients([x, w1, w2, b], differentiatesInside: true) { p in
            let input = p[0]
            let hidden = conv2d(input, weight: p[1], bias: p[3], stride: 2, padding: 1).instanceNormalized().leakyReLU(negativeSlope: 0.2)
            let score = conv2d(hidden, weight: p[2], padding: 1).mean()
            let slope = gradients(of: score, withRespectTo: [input], createGraph: true)[0]
            return ((slope.squared().sum(axes: [1, 2, 3]) + 1e-12).sqrt() - 1).squared().mean()
        }
        #expect(penalty.isEmpty, "gradient penalty: \(penalty.prefix(5))")
    }

    @Test func gradientsOfLeaveLeafGradientsAloneAndRecordWhenAsked() {
        let x = Tensor(shape: [3], scalars: [1, -2, 0.5], requiresGradient: true)
        let w = Tensor(shape: [3], scalars: [2, 2, 2], requiresGradient: true)
        let y = (x * x * x * w).sum()
        let first = gradients(of: y, withRespectTo: [x], createGraph: true)[0]
        #expect(first.scalars == [6, 24, 1.5])   // 3x²w
        #expect(x.gradient == nil && w.gradient == nil)
        first.sum().backward()
        #expect(x.gradient?.scalars == [12, -24, 6])   // 6xw
        #expect(w.gradient?.scalars == [3, 12, 0.75])  // 3x²
        let unrelated = Tensor(zeros: [2]).requiringGradient()
        #expect(gradients(of: (x * 2).sum(), withRespectTo: [unrelated])[0].scalars == [0, 0])
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
