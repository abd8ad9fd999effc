import LumenTensor
import Testing

@Suite struct ReductionTests {
    let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])

    @Test func sumOverEachAxis() {
        #expect(x.sum().scalar == 21)
        #expect(x.sum(axes: [0]).scalars == [5, 7, 9])
        #expect(x.sum(axes: [1]).scalars == [6, 15])
        #expect(x.sum(axes: [-1], keepDimensions: true).shape == [2, 1])
        #expect(x.sum(axes: [0, 1], keepDimensions: true).shape == [1, 1])
    }

    @Test func meanAndVariance() {
        #expect(x.mean().scalar == 3.5)
        #expect(x.mean(axes: [0]).scalars == [2.5, 3.5, 4.5])
        #expect(x.variance(axes: [1]).scalars.map { ($0 * 1e5).rounded() / 1e5 } == [0.66667, 0.66667])
        #expect(x.variance(axes: [1], unbiased: true).scalars == [1, 1])
    }

    @Test func sumOfManyValuesAccumulatesInDouble() {
        // A running Float sum of ten million 0.1s drifts to about 1.09e6.
        let tenths = Tensor(repeating: 0.1, shape: [10_000_000])
        #expect(Swift.abs(tenths.sum().scalar - 1_000_000) < 1)
        #expect(Swift.abs(tenths.mean().scalar - 0.1) < 1e-7)
    }

    @Test func softmaxRowsSumToOne() {
        let s = Tensor(shape: [2, 3], scalars: [1, 2, 3, 1000, 1000, 1000]).softmax(axis: 1).scalars
        #expect(Swift.abs(s[0] - 0.090_030_57) < 1e-6)
        #expect(Swift.abs(s[2] - 0.665_240_9) < 1e-6)
        #expect(s[3...].allSatisfy { Swift.abs($0 - 1.0 / 3) < 1e-6 })
    }
}
