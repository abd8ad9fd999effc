import Foundation
import Lumen
import LumenDeploy
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// Lumen's own exports imported back: the same kernels on the same weights, so the
/// output equals the native model's on a real photo.
@Suite struct ONNXImportTests {
    static let photo = Fixtures.data("test/dicm/01.jpg")

    /// A 125x94 corner of a real dark photo: odd sizes, not a multiple of any scale.
    static func input() throws -> Tensor {
        let image = try Image(contentsOf: Fixtures.require(photo)).rgb().tensor()
        return image.sliced(axis: 2, range: 200..<294).sliced(axis: 3, range: 100..<225)
    }

    @Test(.fixtures(photo), arguments: [ModelKind.zeroDCE, .zeroDCEPlusPlus, .sci, .gainUNet, .enlightenGAN, .ganPaired])
    func roundTripEqualsTheNativeModel(kind: ModelKind) throws {
        // gan-paired ships no weights: Lumen's random ones.
        let native = try kind.hasBundledWeights ? kind.pretrained() : kind.makeModel(seed: 3)
        let exportable = try #require(native as? any ONNXExportable)
        for opset in ONNXOpset.allCases {
            let bytes = try exportable.onnxModel(name: kind.rawValue, opset: opset).serialized()
            let model = try ONNXModel(try ONNX.Model.decode(bytes, name: "\(kind).onnx"), file: "\(kind).onnx")
            let x = try Self.input()
            let imported = try model.run(x), expected = withoutGradients { native.enhanced(x) }
            #expect(imported.shape == expected.shape)
            let largest = maxAbsoluteDifference(imported.scalars, expected.scalars)
            #expect(largest <= 1e-6, "\(kind) opset \(opset.rawValue): largest difference \(largest)")
        }
    }

    @Test(.fixtures(photo), arguments: [(RestorationModelKind.espcn, 3), (.espcn, 4), (.dncnn, 25), (.denoiseAE, 25)])
    func restorationRoundTripEqualsTheNativeModel(kind: RestorationModelKind, setting: Int) throws {
        let native = try kind.pretrained(setting)
        let exportable = try #require(native as? any ONNXExportable)
        let model = try ONNXModel(try exportable.onnxModel(name: kind.rawValue), file: "\(kind).onnx")
        let photo = try Image(contentsOf: Fixtures.require(Self.photo))
        let x = native.colorModel.networkInput(photo).sliced(axis: 2, range: 200..<294).sliced(axis: 3, range: 100..<225)
        let imported = try model.run(x), expected = withoutGradients { native.restored(x) }
        #expect(imported.shape == expected.shape)
        let largest = maxAbsoluteDifference(imported.scalars, expected.scalars)
        #expect(largest <= 1e-6, "\(kind) \(setting): largest difference \(largest)")
    }

    @Test(.fixtures(photo), arguments: MattingFrontEndKind.allCases)
    func mattingRoundTripEqualsTheNativeModel(frontEnd: MattingFrontEndKind) throws {
        let native = MattingUNet.make(frontEnd: frontEnd, seed: 8)
        native.eval()
        let model = try ONNXModel(try native.onnxModel(name: MattingUNet.modelName), file: "matting.onnx")
        let x = try Self.input()
        let imported = try model.run(x), expected = withoutGradients { native.alpha(x) }
        #expect(imported.shape == [1, 1, 94, 125])
        let largest = maxAbsoluteDifference(imported.scalars, expected.scalars)
        #expect(largest <= 1e-6, "\(frontEnd): largest difference \(largest)")
    }

    @Test func zeroDCEPlusPlusAtScaleOneAndABatchOfTwo() throws {
        let native = try ModelKind.zeroDCEPlusPlus.pretrained(scale: 1)
        let exportable = try #require(native as? any ONNXExportable)
        let model = try ONNXModel(try exportable.onnxModel(name: "zero-dce-pp"), file: "zero-dce-pp.onnx")
        var generator = SplitMix64(seed: 11)
        let x = Tensor(shape: [2, 3, 17, 23], scalars: (0..<(2 * 3 * 17 * 23)).map { _ in Float.random(in: 0...1, using: &generator) })
        let largest = maxAbsoluteDifference(try model.run(x).scalars, withoutGradients { native.enhanced(x) }.scalars)
        #expect(largest <= 1e-6, "largest difference \(largest)")
    }
}
