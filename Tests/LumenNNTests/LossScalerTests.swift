import LumenNN
import LumenTensor
import Testing

/// Dynamic loss scaling: exact unscaling, skipped steps on overflow, growth, state.
@Suite struct LossScalerTests {
    func parameter(_ values: [Float]) -> Tensor { Tensor(shape: [values.count], scalars: values, requiresGradient: true) }

    @Test func aPowerOfTwoScaleGivesThePlainGradientsExactly() {
        let (plain, scaled) = (parameter([0.5, -2, 3e-7]), parameter([0.5, -2, 3e-7]))
        (plain * plain * 3).sum().backward()
        var scaler = LossScaler(scale: 1024, growthInterval: 10)
        let stepped = scaler.backward((scaled * scaled * 3).sum(), parameters: [scaled])
        #expect(stepped)
        #expect(scaled.gradient?.scalars == plain.gradient?.scalars)
        #expect(scaler.scale == 1024 && scaler.goodSteps == 1 && scaler.skippedSteps == 0)
    }

    @Test func disabledScalingIsThePlainBackwardPass() {
        let weight = parameter([1, 2])
        var scaler = LossScaler.disabled
        let stepped = scaler.backward((weight * weight).sum(), parameters: [weight])
        #expect(!scaler.isEnabled && stepped)
        #expect(weight.gradient?.scalars == [2, 4] && scaler.scale == 1 && scaler.goodSteps == 0)
    }

    @Test func anOverflowSkipsTheStepAndHalvesTheScale() {
        let weight = parameter([1, 2])
        var scaler = LossScaler(scale: 65536, growthInterval: 3)
        // d/dw (1e35 · w) = 1e35, times 65536 is past float32's largest value.
        let overflowed = scaler.backward((weight * 1e35).sum(), parameters: [weight])
        #expect(!overflowed)
        #expect(weight.gradient == nil, "the overflowed gradients are cleared")
        #expect(scaler.scale == 32768 && scaler.skippedSteps == 1 && scaler.goodSteps == 0)
        // A NaN gradient is skipped as well.
        let undefined = scaler.backward((weight * Float.nan).sum(), parameters: [weight])
        #expect(!undefined)
        #expect(scaler.scale == 16384 && scaler.skippedSteps == 2)
    }

    @Test func theScaleDoublesAfterTheGrowthIntervalOfGoodSteps() {
        let weight = parameter([1])
        var scaler = LossScaler(scale: 8, growthInterval: 3)
        var scales: [Float] = []
        for _ in 0..<7 {
            weight.zeroGradient()
            let stepped = scaler.backward((weight * 2).sum(), parameters: [weight])
            #expect(stepped)
            #expect(weight.gradient?.scalars == [2])
            scales.append(scaler.scale)
        }
        #expect(scales == [8, 8, 16, 16, 16, 32, 32])
    }

    @Test func theStateRoundTripsAndBadStateIsRefused() {
        let weight = parameter([1])
        var scaler = LossScaler(scale: 4, growthInterval: 5)
        _ = scaler.backward((weight * 1e38 * 1e38).sum(), parameters: [weight])
        _ = scaler.backward(weight.sum(), parameters: [weight])
        #expect(LossScaler(state: scaler.state()) == scaler)
        var broken = scaler.state()
        broken["scale"] = Tensor(-1)
        #expect(LossScaler(state: broken) == nil)
        #expect(LossScaler(state: [:]) == nil)
    }
}
