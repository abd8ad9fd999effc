import Foundation
import Lumen
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// Official checkpoints loaded into Lumen's models reproduce the reference
/// PyTorch outputs (`fixtures/reference/manifest.json`) within 1e-5.
@Suite(.tags(.golden)) struct ModelConformanceTests {
    @Test(.fixtures(Fixtures.reference("manifest.json")))
    func referenceOutputsAreFound() throws {
        _ = try Fixtures.require(Fixtures.reference("manifest.json"))
        let found = Set(ReferenceOutput.all.map(\.model))
        #expect(found == Set(ReferenceOutput.models.keys), "reference outputs found for \(found.sorted())")
    }

    @Test(arguments: ReferenceOutput.all)
    func reproducesReferenceOutput(_ reference: ReferenceOutput) throws {
        let (checkpoint, kind, scale) = try #require(ReferenceOutput.models[reference.model])
        let model = try kind.load(weights: Fixtures.require(Fixtures.officialWeights(checkpoint)), scale: scale)
        let input = try Image(contentsOf: Fixtures.require(Fixtures.reference(reference.input + "_input.png"))).rgb()
        let output = withoutGradients { () -> Tensor in
            // The official Zero-DCE++ test crops the photo to a multiple of the scale.
            if let zeroDCEPlusPlus = model as? ZeroDCEPlusPlus {
                return zeroDCEPlusPlus(zeroDCEPlusPlus.cropped(input.tensor())).enhanced
            }
            return model.enhanced(input.tensor())
        }

        let expected = try NumPyArray.load(contentsOf: reference.url)
        let (height, width) = (expected.shape[0], expected.shape[1])
        #expect(output.shape == [1, 3, height, width])
        let outputHWC = output.permuted([0, 2, 3, 1]).scalars
        let difference = maxAbsoluteDifference(outputHWC, expected.floats)
        #expect(difference <= 1e-5, "\(reference.testDescription): max abs difference \(difference)")
    }

    @Test(arguments: [
        ("zero-dce-epoch99.pth", ModelKind.zeroDCE, 14),
        ("zero-dce-pp-epoch99.pth", .zeroDCEPlusPlus, 28),
        ("sci-easy.pt", .sci, 10),
        ("sci-medium.pt", .sci, 10),
        ("sci-difficult.pt", .sci, 10),
    ])
    func everyCheckpointKeyIsConsumedOrDeliberatelyIgnored(file: String, kind: ModelKind, loaded: Int) throws {
        let url = try Fixtures.require(Fixtures.officialWeights(file))
        let tensors = try TorchCheckpoint.load(contentsOf: url)
        let report = try kind.makeModel().importCheckpoint(tensors, source: file)
        #expect(report.loaded.count == loaded)
        #expect(report.loaded.count + report.ignored.count == tensors.count)
        if kind == .sci {
            // Ignored on purpose: the calibration network, the shared block's aliases, BN's counter.
            #expect(report.ignored.keys.allSatisfy {
                $0.hasPrefix("calibrate.") || $0.hasPrefix("enhance.blocks.") || $0.hasSuffix("num_batches_tracked")
            })
            #expect(report.ignored.keys.contains { $0.hasPrefix("calibrate.") })
        } else {
            #expect(report.ignored.isEmpty)
        }
    }
}
