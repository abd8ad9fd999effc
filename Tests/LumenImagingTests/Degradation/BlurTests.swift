@testable import LumenImaging
import LumenTensor
import Testing

@Suite struct BlurTests {
    /// White noise in `[0.2, 0.8]`, `[1, 3, 64, 64]`: blurring it must lower its variance.
    static let noise: Tensor = {
        var generator = SplitMix64(seed: 9)
        return Tensor.uniform(shape: [1, 3, 64, 64], in: 0.2...0.8, using: &generator)
    }()

    @Test(arguments: [
        DegradationParameters(gaussianBlurSigma: 1),
        DegradationParameters(motionBlur: MotionBlur(length: 7, angle: 30)),
    ])
    func blurKeepsTheMeanAndLowersTheVariance(parameters: DegradationParameters) {
        let blurred = Degradation().applied(to: Self.noise, parameters: parameters)
        #expect(abs(mean(SRGB.toLinear(blurred)) - mean(SRGB.toLinear(Self.noise))) < 2e-3)
        #expect(variance(blurred) < 0.5 * variance(Self.noise))
    }

    @Test(arguments: [(1, 0), (2.5, 10), (5, 0), (7, 45), (9.3, 100), (15, 171)] as [(Float, Float)])
    func motionKernelSumsToOne(length: Float, angle: Float) {
        let kernel = MotionBlur(length: length, angle: angle).kernel
        #expect(abs(kernel.reduce(0) { $0 + $1.weight } - 1) < 1e-6)
        #expect(kernel.allSatisfy { $0.weight > 0 && abs(Float($0.dx)) <= length / 2 + 1 && abs(Float($0.dy)) <= length / 2 + 1 })
        // The line passes through the centre, and the kernel is point-symmetric.
        #expect(kernel.contains { $0.dx == 0 && $0.dy == 0 })
        for tap in kernel {
            let mirror = kernel.first { $0.dx == -tap.dx && $0.dy == -tap.dy }
            #expect(mirror.map { abs($0.weight - tap.weight) < 1e-6 } == true)
        }
    }

    @Test func horizontalMotionIsABoxAlongTheRow() {
        let kernel = MotionBlur(length: 5, angle: 0).kernel
        #expect(kernel.map(\.dx).sorted() == [-2, -1, 0, 1, 2] && kernel.allSatisfy { $0.dy == 0 && $0.weight == 0.2 })
        let vertical = MotionBlur(length: 3, angle: 90).kernel
        #expect(vertical.map(\.dy).sorted() == [-1, 0, 1] && vertical.allSatisfy { $0.dx == 0 })
        let image = Tensor(shape: [1, 1, 1, 7], scalars: [0, 0, 0, 5, 0, 0, 0])
        #expect(MotionBlur(length: 5, angle: 0).applied(to: image).scalars == [0, 1, 1, 1, 1, 1, 0])
    }
}
