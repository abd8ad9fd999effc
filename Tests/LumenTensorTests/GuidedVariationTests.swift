import LumenTensor
import LumenTestSupport
import Testing

@Suite struct GuidedVariationTests {
    let offsets = [(1, 0), (0, 1), (1, 1), (1, -1), (2, 0), (0, 2), (2, -2)].map { NeighbourOffset(rows: $0.0, columns: $0.1) }

    /// The same quantity from slices and element-wise ops.
    func composed(_ x: Tensor, _ guide: Tensor, weightScale: Float) -> Tensor {
        func difference(_ t: Tensor, _ offset: NeighbourOffset) -> Tensor {
            let (height, width) = (t.shape[2], t.shape[3])
            let rows = height - offset.rows, columns = width - Swift.abs(offset.columns)
            let shifted = t.sliced(axis: 2, range: offset.rows..<height)
                .sliced(axis: 3, range: Swift.max(offset.columns, 0)..<(Swift.max(offset.columns, 0) + columns))
            let base = t.sliced(axis: 2, range: 0..<rows)
                .sliced(axis: 3, range: Swift.max(-offset.columns, 0)..<(Swift.max(-offset.columns, 0) + columns))
            return shifted - base
        }
        let terms = offsets.map { offset in
            let weight = (difference(guide, offset).squared().sum(axes: [1], keepDimensions: true) * weightScale).exp()
            return (weight * difference(x, offset).abs().sum(axes: [1], keepDimensions: true)).mean()
        }
        return terms.dropFirst().reduce(terms[0], +)
    }

    @Test func matchesComposedOpsInValueAndGradients() {
        var g = SplitMix64(seed: 11)
        let x = Tensor.uniform(shape: [3, 3, 9, 12], in: 0...1, using: &g)
        let guide = Tensor.uniform(shape: [3, 2, 9, 12], in: 0...1, using: &g)
        x.requiresGradient = true
        guide.requiresGradient = true

        let fused = x.guidedVariation(guide: guide, offsets: offsets, weightScale: -2)
        fused.backward()
        let (fusedX, fusedGuide) = (x.gradient!, guide.gradient!)
        x.zeroGradient()
        guide.zeroGradient()
        let reference = composed(x, guide, weightScale: -2)
        reference.backward()

        #expect(Swift.abs(fused.scalar - reference.scalar) <= 1e-6 * Swift.abs(reference.scalar))
        #expect(isClose(fusedX, x.gradient!, atol: 1e-6, rtol: 1e-4))
        #expect(isClose(fusedGuide, guide.gradient!, atol: 1e-6, rtol: 1e-4))
    }

    @Test func sameValueWithOneOrTwoThreads() {
        var g = SplitMix64(seed: 12)
        let x = Tensor.uniform(shape: [4, 3, 16, 16], in: 0...1, using: &g)
        let guide = Tensor.uniform(shape: [4, 3, 16, 16], in: 0...1, using: &g)
        let saved = Runtime.threadCount
        defer { Runtime.threadCount = saved }
        Runtime.threadCount = 1
        let one = x.guidedVariation(guide: guide, offsets: offsets, weightScale: -0.5).scalar
        Runtime.threadCount = 2
        let two = x.guidedVariation(guide: guide, offsets: offsets, weightScale: -0.5).scalar
        #expect(one == two)
    }
}
