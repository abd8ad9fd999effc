@testable import LumenImaging
import LumenTensor
import LumenTestSupport
import Testing

@Suite struct ClassicalMethodTests {
    @Test(arguments: ClassicalMethod.allCases)
    func keepsShapeAndRange(method: ClassicalMethod) {
        var generator = SplitMix64(seed: 1)
        let batch = Tensor.uniform(shape: [2, 3, 19, 23], in: 0...1, using: &generator)
        let output = method.applied(to: batch)
        #expect(output.shape == batch.shape)
        #expect(output.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(!method.summary.isEmpty)
        // Each image of a batch is processed on its own.
        let second = Tensor(shape: [1, 3, 19, 23], scalars: Array(batch.scalars[(3 * 19 * 23)...]))
        #expect(Array(output.scalars[(3 * 19 * 23)...]) == method.applied(to: second).scalars)
    }

    @Test func rawValuesAreTheCommandLineNames() {
        #expect(ClassicalMethod.allCases.map(\.rawValue)
            == ["gamma", "equalize", "clahe", "gray-world", "ssr", "msrcr", "lime", "unsharp", "auto-levels"])
    }

    @Test func reflect101MatchesOpenCV() {
        // gfedcb|abcdefgh|gfedcba
        #expect((-3 ..< 11).map { reflected101($0, count: 8) } == [3, 2, 1, 0, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4])
        #expect((-5 ... 5).map { reflected101($0, count: 3) } == [1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1])
        #expect(reflected101(7, count: 1) == 0)
    }

    @Test(arguments: [Float(0.8), 2, 8, 9, 40])
    func gaussianBlurKeepsConstantsAndMatchesTheVariance(sigma: Float) {
        let size = 401
        let flat = Plane<Float>(width: 31, height: 17, repeating: 0.25)
        #expect(GaussianBlur(sigma: sigma)(flat).values.allSatisfy { Swift.abs($0 - 0.25) < 1e-5 })
        // An impulse in a wide row spreads with variance σ² (the box path to within 3 %).
        var impulse = Plane<Float>(width: size, height: 1, repeating: 0)
        impulse.values[size / 2] = 1
        let response = GaussianBlur(sigma: sigma)(impulse).values
        let total = response.reduce(0, +)
        let variance = response.enumerated().reduce(Float(0)) { sum, entry in
            let offset = Float(entry.offset - size / 2)
            return sum + entry.element * offset * offset
        } / total
        #expect(Swift.abs(total - 1) < 1e-4)
        #expect(Swift.abs(variance.squareRoot() / sigma - 1) < 0.03)
    }

    @Test func boxFilterAveragesTheWindow() {
        let plane = Plane<Float>(width: 5, height: 1, values: [1, 2, 3, 4, 5])
        // Reflect-101 rows: [2 1 2 3 4 5 4]: window means of three.
        let means = BoxFilter(radius: 1)(plane).values
        #expect(maxAbsoluteDifference(means, [5.0 / 3, 2, 3, 4, 13.0 / 3]) < 1e-6)
    }
}
