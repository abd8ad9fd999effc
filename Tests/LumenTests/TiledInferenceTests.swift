import Lumen
import LumenTensor
import LumenTestSupport
import Testing

@Suite struct TiledInferenceTests {
    static let image: Tensor = {
        var generator = SplitMix64(seed: 21)
        return Tensor.uniform(shape: [1, 3, 70, 53], in: 0...0.6, using: &generator)
    }()

    static func models() -> [(String, any TensorEnhancer)] {
        var generator = SplitMix64(seed: 4)
        return [
            ("zero-dce", ZeroDCE(width: 8, using: &generator)),
            ("zero-dce-pp scale 1", ZeroDCEPlusPlus(width: 8, scale: 1, using: &generator)),
            ("zero-dce-pp scale 4", ZeroDCEPlusPlus(width: 8, scale: 4, using: &generator)),
            ("sci", SCI(using: &generator)),
        ]
    }

    @Test(arguments: [16, 24, 40])
    func tiledEqualsWholeImage(tileSize: Int) {
        for (name, model) in Self.models() {
            let whole = withoutGradients { model.enhanced(Self.image) }
            let tiled = model.enhancedInTiles(Self.image, tileSize: tileSize) { _, _ in }
            #expect(tiled.shape == whole.shape)
            let difference = maxAbsoluteDifference(tiled.scalars, whole.scalars)
            #expect(difference <= 1e-5, "\(name), tile \(tileSize): max difference \(difference)")
        }
    }

    @Test func aHaloSmallerThanTheReceptiveFieldWouldShow() {
        // Guards the test above: cutting tiles without a halo changes the result.
        var generator = SplitMix64(seed: 4)
        let model = ZeroDCE(width: 8, using: &generator)
        let whole = withoutGradients { model.enhanced(Self.image) }
        let top = withoutGradients { model.enhanced(Self.image.sliced(axis: 2, range: 0..<32)) }
        let difference = maxAbsoluteDifference(top.scalars, whole.sliced(axis: 2, range: 0..<32).scalars)
        #expect(difference > 1e-4)
    }

    @Test func progressCountsEveryTile() {
        var generator = SplitMix64(seed: 4)
        let model = SCI(using: &generator)
        var reports: [Int] = []
        _ = TiledInference(tileSize: 32).run(model, on: Self.image) { done, total in
            reports.append(done)
            #expect(total == 6)
        }
        #expect(reports == Array(1...6))
    }
}
