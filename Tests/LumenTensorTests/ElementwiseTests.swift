import LumenTensor
import Testing

@Suite struct ElementwiseTests {
    @Test func broadcastingArithmetic() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let row = Tensor(shape: [3], scalars: [10, 20, 30])
        let column = Tensor(shape: [2, 1], scalars: [100, 200])
        #expect((a + row).scalars == [11, 22, 33, 14, 25, 36])
        #expect((a - column).scalars == [-99, -98, -97, -196, -195, -194])
        #expect((row * column).shape == [2, 3])
        #expect((row * column).scalars == [1000, 2000, 3000, 2000, 4000, 6000])
        #expect((a / 2).scalars == [0.5, 1, 1.5, 2, 2.5, 3])
        #expect((1 - a).scalars == [0, -1, -2, -3, -4, -5])
    }

    @Test func broadcastAlongMiddleAxesOfImages() {
        // The bias pattern [1, C, 1, 1] against [N, C, H, W].
        let x = Tensor(zeros: [2, 3, 2, 2])
        let bias = Tensor(shape: [1, 3, 1, 1], scalars: [1, 2, 3])
        let y = (x + bias).scalars
        #expect(Array(y[0..<4]) == [1, 1, 1, 1])
        #expect(Array(y[4..<8]) == [2, 2, 2, 2])
        #expect(Array(y[20..<24]) == [3, 3, 3, 3])
    }

    @Test func unaryFunctions() {
        let x = Tensor(shape: [4], scalars: [-2, -0.5, 0, 3])
        #expect(x.abs().scalars == [2, 0.5, 0, 3])
        #expect(x.sign().scalars == [-1, -1, 0, 1])
        #expect(x.relu().scalars == [0, 0, 0, 3])
        #expect(x.leakyReLU(negativeSlope: 0.1).scalars == [-0.2, -0.05, 0, 3])
        #expect(x.clamped(min: -1, max: 1).scalars == [-1, -0.5, 0, 1])
        #expect(x.clamped(min: 0).scalars == [0, 0, 0, 3])
        #expect(Tensor(shape: [2], scalars: [4, 9]).sqrt().scalars == [2, 3])
        #expect(Tensor(shape: [2], scalars: [2, 3]).pow(2).scalars == [4, 9])
        #expect(Tensor(0).sigmoid().scalar == 0.5)
        #expect(Tensor(0).tanh().scalar == 0)
        #expect(Swift.abs(Tensor(1).gelu().scalar - 0.841_344_7) < 1e-6)
        #expect(Tensor.maximum(x, Tensor(0)).scalars == [0, 0, 0, 3])
        #expect(Tensor.minimum(x, Tensor(0)).scalars == [-2, -0.5, 0, 0])
    }

    @Test func fusedCurveEqualsTheComposedForm() {
        var g = SplitMix64(seed: 8)
        let x = Tensor.uniform(shape: [2, 3, 5, 4], using: &g), r = Tensor.uniform(shape: [2, 3, 5, 4], in: -1...1, using: &g)
        #expect(x.quadraticCurve(r).scalars == (x + r * (x * x - x)).scalars)
    }

    @Test func sigmoidIsFiniteForLargeInputs() {
        let y = Tensor(shape: [2], scalars: [-200, 200], requiresGradient: true)
        let s = y.sigmoid()
        s.sum().backward()
        #expect(s.scalars == [0, 1])
        #expect(y.gradient!.scalars.allSatisfy { $0.isFinite })
    }

    @Test func resultsDoNotDependOnThreadCount() {
        var g = SplitMix64(seed: 3)
        let a = Tensor.uniform(shape: [4, 8, 64, 64], using: &g), b = Tensor.uniform(shape: [8, 1, 1], using: &g)
        let saved = Runtime.threadCount
        defer { Runtime.threadCount = saved }
        Runtime.threadCount = 1
        let single = ((a * b).exp().sum(axes: [0, 2, 3]), a.permuted([0, 2, 3, 1]), a.avgPool2d(kernelSize: 4))
        Runtime.threadCount = 2
        let multi = ((a * b).exp().sum(axes: [0, 2, 3]), a.permuted([0, 2, 3, 1]), a.avgPool2d(kernelSize: 4))
        #expect(single.0.scalars == multi.0.scalars)
        #expect(single.1.scalars == multi.1.scalars)
        #expect(single.2.scalars == multi.2.scalars)
    }
}
