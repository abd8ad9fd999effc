import LumenNN
import LumenTensor
import Testing

@Suite struct GradientClippingTests {
    @Test func scalesByTheGlobalNorm() {
        let a = Tensor(shape: [2], scalars: [0, 0], requiresGradient: true)
        let b = Tensor(shape: [1], scalars: [0], requiresGradient: true)
        let idle = Tensor(shape: [1], scalars: [0], requiresGradient: true)
        a.setGradient(Tensor(shape: [2], scalars: [3, 4]))
        b.setGradient(Tensor(shape: [1], scalars: [12]))
        let total = clipGradientNorm([a, b, idle], maxNorm: 6.5)
        #expect(total == 13)
        let coefficient = 6.5 / (13 + 1e-6)
        expectClose(a.gradient!.scalars, [3 * coefficient, 4 * coefficient])
        expectClose(b.gradient!.scalars, [12 * coefficient])
        #expect(idle.gradient == nil)
    }

    @Test func leavesSmallGradientsAlone() {
        let a = Tensor(shape: [2], scalars: [0, 0], requiresGradient: true)
        a.setGradient(Tensor(shape: [2], scalars: [3, 4]))
        #expect(clipGradientNorm([a], maxNorm: 6) == 5)
        #expect(a.gradient!.scalars == [3, 4])
    }

    @Test func sharedGradientTensorsAreScaledOnce() {
        let a = Tensor(shape: [1], scalars: [1], requiresGradient: true)
        let b = Tensor(shape: [1], scalars: [2], requiresGradient: true)
        (a + b).sum().backward()
        clipGradientNorm([a, b], maxNorm: 0.5)
        let coefficient = 0.5 / (2.0.squareRoot() + 1e-6)
        expectClose(a.gradient!.scalars + b.gradient!.scalars, [coefficient, coefficient])
    }
}
