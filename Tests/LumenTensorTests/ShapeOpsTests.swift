import LumenTensor
import Testing

@Suite struct ShapeOpsTests {
    let x = Tensor(shape: [1, 1, 2, 3], scalars: [1, 2, 3, 4, 5, 6])

    @Test func permuteAndTranspose() {
        let m = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(m.transposed().scalars == [1, 4, 2, 5, 3, 6])
        let t = Tensor(shape: [2, 2, 2], scalars: [0, 1, 2, 3, 4, 5, 6, 7]).permuted([2, 0, 1])
        #expect(t.scalars == [0, 2, 4, 6, 1, 3, 5, 7])
    }

    @Test func flipReversesOneAxis() {
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t.flipped(axis: 1).scalars == [3, 2, 1, 6, 5, 4])
        #expect(t.flipped(axis: 0).scalars == [4, 5, 6, 1, 2, 3])
    }

    @Test func expandCopiesAlongBroadcastAxes() {
        let e = Tensor(shape: [2, 1], scalars: [1, 2]).expanded(to: [2, 2, 3])
        #expect(e.scalars == [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2])
    }

    @Test(arguments: [
        (PaddingMode.zero, [Float](arrayLiteral: 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0)),
        (.reflect, [5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5]),
        (.replicate, [1, 1, 2, 3, 3, 1, 1, 2, 3, 3, 4, 4, 5, 6, 6]),
    ])
    func paddingModes(mode: PaddingMode, expected: [Float]) {
        let p = x.padded(Padding(top: 1, bottom: 0, left: 1, right: 1), mode: mode)
        #expect(p.shape == [1, 1, 3, 5])
        #expect(p.scalars == expected)
    }

    @Test func sliceConcatSplit() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(a.sliced(axis: 1, range: 1..<3).scalars == [2, 3, 5, 6])
        #expect(a.sliced(axis: 0, range: 1..<2).scalars == [4, 5, 6])
        let c = Tensor.concatenated([a, Tensor(shape: [2, 1], scalars: [7, 8])], axis: 1)
        #expect(c.shape == [2, 4])
        #expect(c.scalars == [1, 2, 3, 7, 4, 5, 6, 8])
        let parts = c.split(sizes: [3, 1], axis: 1)
        #expect(parts[0].scalars == a.scalars && parts[1].scalars == [7, 8])
    }

    @Test func pixelShuffleMatchesDefinition() {
        // out[c, h·r + i, w·r + j] = in[c·r² + i·r + j, h, w] with r = 2.
        let input = Tensor(shape: [1, 4, 1, 2], scalars: [0, 1, 10, 11, 20, 21, 30, 31])
        let out = input.pixelShuffled(upscaleFactor: 2)
        #expect(out.shape == [1, 1, 2, 4])
        #expect(out.scalars == [0, 10, 1, 11, 20, 30, 21, 31])
    }

    @Test func matmulAgreesWithNaiveProduct() {
        var g = SplitMix64(seed: 5)
        for (m, k, n) in [(1, 1, 1), (3, 5, 2), (70, 33, 65)] {
            let a = Tensor.uniform(shape: [2, m, k], using: &g), b = Tensor.uniform(shape: [2, k, n], using: &g)
            let c = a.matmul(b).scalars
            let (av, bv) = (a.scalars, b.scalars)
            var worst: Float = 0
            for batch in 0..<2 { for i in 0..<m { for j in 0..<n {
                var total: Float = 0
                for l in 0..<k { total += av[batch * m * k + i * k + l] * bv[batch * k * n + l * n + j] }
                worst = Swift.max(worst, Swift.abs(total - c[batch * m * n + i * n + j]))
            } } }
            #expect(worst < 1e-4, "\(m)x\(k)x\(n)")
        }
    }
}
