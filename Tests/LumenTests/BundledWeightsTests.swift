import Foundation
@testable import Lumen
import LumenTensor
import Testing

@Suite struct BundledWeightsTests {
    @Test func hexadecimalDecodingSkipsLineBreaks() {
        #expect(BundledWeights.decodeHexadecimal("00ff\n10a7") == Data([0x00, 0xFF, 0x10, 0xA7]))
    }

    @Test func theDefaultModelLoadsItsBundledWeights() throws {
        #expect(ModelKind.zeroDCEPlusPlus.hasBundledWeights)
        let model = try ZeroDCEPlusPlus.pretrained()
        #expect(model.scale == 12)
        var generator = SplitMix64(seed: 1)
        let dark = Tensor.uniform(shape: [1, 3, 48, 36], in: 0...0.2, using: &generator)
        let lit = withoutGradients { model.enhanced(dark) }
        #expect(lit.mean().scalar > dark.mean().scalar)
    }

    /// Every model but gan-paired, whose trained weights are a user's own (see the README).
    @Test(arguments: ModelKind.allCases.filter { $0 != .ganPaired })
    func everyModelShipsWeightsThatBrighten(kind: ModelKind) throws {
        #expect(kind.hasBundledWeights)
        let model = try kind.pretrained()
        var generator = SplitMix64(seed: 2)
        let dark = Tensor.uniform(shape: [1, 3, 48, 36], in: 0...0.2, using: &generator)
        let lit = withoutGradients { model.enhanced(dark) }
        #expect(lit.mean().scalar > dark.mean().scalar)
    }

    @Test func ganPairedShipsNoWeights() {
        #expect(!ModelKind.ganPaired.hasBundledWeights)
        #expect(throws: ModelLoadingError.noBundledWeights(model: "gan-paired")) { try ModelKind.ganPaired.pretrained() }
    }

    /// The plain and the low-light matting models ship; the illumination front end's do not.
    @Test func bothMattingModelsShipWeights() throws {
        let plain = try MattingUNet.pretrained(frontEnd: .none)
        let low = try MattingUNet.pretrained(frontEnd: .zeroDCEPlusPlus)
        #expect(plain.frontEndKind == .none && low.frontEndKind == .zeroDCEPlusPlus)
        let fresh = MattingUNet.make(frontEnd: .none)
        #expect(plain.stateDict().map(\.tensor.scalars) != fresh.stateDict().map(\.tensor.scalars), "trained, not initial weights")
        #expect(throws: ModelLoadingError.noBundledWeights(model: "matting-unet with a illumination front end")) {
            try MattingUNet.pretrained(frontEnd: .illumination)
        }
    }

    @Test func aMissingBundleNamesTheFlagToUse() {
        let message = ModelLoadingError.noBundledWeights(model: "gain-unet").localizedDescription
        #expect(message.contains("gain-unet") && message.contains("--weights"))
    }
}
