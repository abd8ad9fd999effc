import Foundation
import LumenImaging
import LumenIO
import LumenTestSupport
import Testing

/// NumPy's legacy `RandomState`, draw for draw.
@Suite struct NumPyRandomStateTests {
    /// `np.random.seed(0); np.random.normal(0, 1, 4)`, and the first `random_sample()` after `seed(0)`.
    @Test func reproducesNumPysFirstDraws() {
        var random = NumPyRandomState(seed: 0)
        let values = (0..<4).map { _ in random.normal(mean: 0, standardDeviation: 1) }
        let numpy = [1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458]
        #expect(zip(values, numpy).allSatisfy { abs($0 - $1) < 1e-15 })
        var uniform = NumPyRandomState(seed: 0)
        #expect(abs(uniform.nextDouble() - 0.5488135039273248) < 1e-16)  // np.random.seed(0); np.random.random_sample()
    }

    /// The fixture's noise, `np.random.seed(0); np.random.normal(0, 25/255, (96, 96, 1))`, exactly.
    @Test(.tags(.golden), .fixtures(Fixtures.shared("fixtures/restoration/dncnn/bsd68_test001_r100c200_96x96_noise_sigma25_seed0_f64.npy")))
    func reproducesTheProtocolsNoiseExactly() throws {
        let reference = try NumPyArray.load(contentsOf: Fixtures.require(
            Fixtures.shared("fixtures/restoration/dncnn/bsd68_test001_r100c200_96x96_noise_sigma25_seed0_f64.npy")))
        var random = NumPyRandomState(seed: 0)
        let values = (0..<(96 * 96)).map { _ in random.normal(mean: 0, standardDeviation: 25 / 255) }
        #expect(values == reference.doubles)
    }

    /// `np.random.seed(3); [np.random.poisson(l) for l in lambdas * 3]`: both of NumPy's
    /// methods (below and from 10) and the zero case, on one stream.
    @Test func poissonDrawsAsNumPy() {
        var random = NumPyRandomState(seed: 3)
        let lambdas = [0.5, 3.7, 9.99, 10.0, 25.3, 80.0, 200.5, 0.0, 12.0]
        let values = (0..<3).flatMap { _ in lambdas.map { random.poisson($0) } }
        #expect(values == [0, 5, 5, 8, 27, 81, 197, 0, 14, 0, 4, 13, 8, 32, 74, 199, 0, 8, 0, 6, 9, 11, 25, 63, 187, 0, 7])
    }
}
