import Foundation
import Lumen
import LumenNN
import LumenTensor
import LumenTestSupport
import Testing

@Suite struct GainUNetTests {
    func random(_ shape: Shape, in range: ClosedRange<Float> = 0...1, seed: UInt64) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor.uniform(shape: shape, in: range, using: &generator)
    }

    @Test(arguments: [GainUNet.Mode.gain, .gamma])
    func anySizeKeepsItsShapeWithABoundedMap(mode: GainUNet.Mode) {
        var generator = SplitMix64(seed: 1)
        let model = GainUNet(width: 4, mode: mode, using: &generator)
        let image = random([2, 3, 13, 10], seed: 2)
        let output = withoutGradients { model(image) }
        #expect(output.enhanced.shape == image.shape)
        #expect(output.map.shape == [2, 1, 13, 10])
        #expect(output.map.scalars.allSatisfy { mode.range.contains($0) })
        #expect(output.enhanced.scalars.allSatisfy { (0...1).contains($0) })
    }

    @Test func theGlobalBranchMakesTheGainDependOnTheWholeImage() {
        var generator = SplitMix64(seed: 3)
        let model = GainUNet(width: 4, using: &generator)
        let image = random([1, 3, 32, 32], in: 0...0.3, seed: 4)
        // Brighten only the right half: the gain at the far left corner changes too,
        // though no convolution reaches that far.
        var brighter = image.scalars
        for index in brighter.indices where index % 32 >= 16 { brighter[index] += 0.6 }
        let gainA = withoutGradients { model(image).map.scalars[0] }
        let gainB = withoutGradients { model(Tensor(shape: image.shape, scalars: brighter)).map.scalars[0] }
        #expect(gainA != gainB)
    }

    @Test func learnsAGainFromPairs() {
        var generator = SplitMix64(seed: 5)
        let model = GainUNet(width: 4, using: &generator)
        let dark = random([2, 3, 16, 16], in: 0...0.4, seed: 6)
        let target = withoutGradients { dark * 1.6 }
        var adam = Adam(parameters: model.parameters(), learningRate: 1e-2)
        let initial = withoutGradients { l1Loss(model.enhanced(dark), target).scalar }
        for _ in 0..<30 {
            adam.zeroGradients()
            let loss = l1Loss(model.enhanced(dark), target)
            loss.backward()
            adam.step()
        }
        let final = withoutGradients { l1Loss(model.enhanced(dark), target).scalar }
        #expect(final < initial / 3, "L1 \(initial) -> \(final)")
    }

    @Test func theGammaModeRaisesThePixelToThePredictedExponent() {
        var generator = SplitMix64(seed: 7)
        let model = GainUNet(width: 4, mode: .gamma, using: &generator)
        let image = random([1, 3, 12, 12], in: 0.05...0.9, seed: 8)
        let output = withoutGradients { model(image) }
        let (pixels, exponents) = (image.scalars, output.map.scalars)
        for (index, value) in output.enhanced.scalars.enumerated() {
            #expect(abs(value - Foundation.pow(pixels[index], exponents[index % 144])) < 1e-5)
        }
    }

    @Test(arguments: [(GainUNet.Mode.gamma, false, 16), (.gain, true, 24), (.gamma, false, 40)])
    func tiledInferenceEqualsTheWholeImage(mode: GainUNet.Mode, balancesWhite: Bool, tileSize: Int) {
        var generator = SplitMix64(seed: 9)
        let model = GainUNet(width: 4, mode: mode, balancesWhite: balancesWhite, using: &generator)
        let image = random([1, 3, 70, 93], in: 0...0.5, seed: 10)
        let whole = withoutGradients { model.enhanced(image) }
        var reports: [(Int, Int)] = []
        let tiled = model.enhancedInTiles(image, tileSize: tileSize) { reports.append(($0, $1)) }
        #expect(tiled.shape == whole.shape)
        let difference = zip(tiled.scalars, whole.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(difference < 1e-5, "largest difference \(difference)")
        #expect(reports.count > 2 && reports.last.map { $0.0 == $0.1 } == true)
    }

    @Test func theBundledModelTilesExactly() throws {
        let model = try ModelKind.gainUNet.pretrained()
        let image = random([1, 3, 90, 122], in: 0...0.3, seed: 11)
        let whole = withoutGradients { model.enhanced(image) }
        let tiled = model.enhancedInTiles(image, tileSize: 32) { _, _ in }
        let difference = zip(tiled.scalars, whole.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(difference < 1e-5, "largest difference \(difference)")
    }
}
