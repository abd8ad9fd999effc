import Foundation
import Lumen
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// The colour models of the restoration pipelines, exact tiling, and loading
/// restoration weights of every supported kind.
@Suite struct RestorationPipelineTests {
    static func restoration(_ path: String) -> URL { Fixtures.shared("fixtures/restoration/" + path) }
    static let crop = "set14_baboon_r200c240_48x64"

    /// Nhat-Thanh's truncating YCbCr: bit-identical to the fixture's network input.
    @Test(.tags(.golden), .fixtures(restoration("espcn-pytorch/\(crop)_rgb.png")))
    func nhatThanhColourConversionIsExact() throws {
        let image = try Image(contentsOf: Fixtures.require(Self.restoration("espcn-pytorch/\(Self.crop)_rgb.png")))
        let reference = try NumPyArray.load(contentsOf: Fixtures.require(
            Self.restoration("espcn-pytorch/\(Self.crop)_input_ycbcr_nchw.npy"))).tensor
        #expect(RestorationColorModel.nhatThanhYCbCr.networkInput(image).scalars == reference.scalars)
    }

    /// Nhat-Thanh's checkpoint through the whole photo pipeline, `demo.py`'s
    /// truncating way back to RGB included: equal but for ≤ 0.5 % of values. Where a
    /// network output within 1e-6 of PyTorch's falls on the other side of a byte's
    /// truncation, a Cr or Cb one level off moves R or B by 1.402 or 1.772 levels,
    /// so a difference can reach 2 (2 and 7 values of the ×2 and ×3 outputs do).
    @Test(.tags(.golden), .fixtures(restoration("weights/nhat-thanh-espcn/ESPCN-x3.pt")), arguments: [2, 3, 4])
    func nhatThanhPipelineReproducesTheDemo(scale: Int) throws {
        let model = try RestorationModelKind.espcn.load(
            weights: Fixtures.require(Self.restoration("weights/nhat-thanh-espcn/ESPCN-x\(scale).pt")), scale: scale)
        #expect(model.colorModel == .nhatThanhYCbCr)
        let image = try Image(contentsOf: Fixtures.require(Self.restoration("espcn-pytorch/\(Self.crop)_rgb.png")))
        let reference = try Image(contentsOf: Fixtures.require(Self.restoration("espcn-pytorch/\(Self.crop)_x\(scale)_demo_rgb.png")))
        let result = model.restore(image, options: RestorationOptions(tileSize: 0)).image
        #expect(result.width == 64 * scale && result.height == 48 * scale && result.channels == 3)
        let differences = zip(result.samples, reference.samples).map { abs(Int($0) - Int($1)) }
        #expect(differences.max()! <= 2)
        #expect(Double(differences.filter { $0 > 0 }.count) <= 0.005 * Double(differences.count))
    }

    /// OpenCV's `ESPCN_x*.pb` through Lumen's `opencv-luma` pipeline equals OpenCV's
    /// own `dnn_superres` on a Set5 photo within one 8-bit level. The references are
    /// made at test time by `scripts/setup-conformance.sh` (OpenCV-contrib in a venv).
    @Test(.tags(.golden), .fixtures(Self.openCVReference(4)), arguments: [2, 3, 4])
    func openCVGraphMatchesDnnSuperres(scale: Int) throws {
        let model = try RestorationModelKind.espcn.load(
            weights: Fixtures.require(Self.restoration("weights/opencv-espcn/ESPCN_x\(scale).pb")), scale: scale)
        let photo = try Image(contentsOf: Fixtures.require(Fixtures.data("restoration/sr-test/Set5/bird.png")))
        let reference = try Image(contentsOf: Fixtures.require(Self.openCVReference(scale)))
        let result = model.restore(photo, options: RestorationOptions(tileSize: 128)).image
        #expect(result.width == reference.width && result.height == reference.height && result.channels == 3)
        let differences = zip(result.samples, reference.samples).map { abs(Int($0) - Int($1)) }
        #expect(differences.max()! <= 1)
    }

    static func openCVReference(_ scale: Int) -> URL {
        Fixtures.packageRoot.appendingPathComponent(".build/conformance/opencv-superres/bird_x\(scale).png")
    }

    /// Random models of every restoration kind, several tiles: equal to the whole image.
    @Test(arguments: ["espcn-luma", "espcn-color", "espcn-rgb", "dncnn", "dncnn-color", "denoise-ae"])
    func tiledRestorationEqualsWholeImage(name: String) {
        var generator = SplitMix64(seed: 7)
        let model: any TensorRestorer = switch name {
        case "espcn-luma": ESPCN(scale: 3, variant: .luma, using: &generator)
        case "espcn-color": ESPCN(scale: 2, using: &generator)
        case "espcn-rgb": ESPCN(scale: 4, colorModel: .rgb, using: &generator)
        case "dncnn": DnCNN(channels: 1, features: 8, depth: 5, using: &generator)
        case "dncnn-color": DnCNN(channels: 3, features: 8, depth: 4, using: &generator)
        default: DenoisingAutoencoder(using: &generator)
        }
        let channels = model.colorModel.channels
        let input = Tensor(shape: [1, channels, 53, 71]) { buffer in
            for index in buffer.indices { buffer[index] = Float.random(in: 0...1, using: &generator) }
        }
        let whole = withoutGradients { model.restored(input) }
        var tiles = 0
        let tiled = model.restoredInTiles(input, tileSize: 16) { _, total in tiles = total }
        #expect(tiles == 20)
        #expect(tiled.shape == whole.shape)
        #expect(maxAbsoluteDifference(tiled.scalars, whole.scalars) <= 1e-5)

        let photo = Image(tensor: Tensor(shape: [1, 3, 53, 71]) { buffer in
            for index in buffer.indices { buffer[index] = Float.random(in: 0...1, using: &generator) }
        })
        let wholePhoto = model.restore(photo, options: RestorationOptions(tileSize: 0, computesLuma: true))
        let tiledPhoto = model.restore(photo, options: RestorationOptions(tileSize: 16, computesLuma: true))
        let differences = zip(wholePhoto.image.samples, tiledPhoto.image.samples).map { abs(Int($0) - Int($1)) }
        #expect(differences.max()! <= 1 && differences.filter { $0 > 0 }.count <= differences.count / 1000)
        #expect(zip(wholePhoto.luma!, tiledPhoto.luma!).map { abs($0 - $1) }.max()! <= 255e-5)
        #expect(wholePhoto.image.width == 71 * model.scaleFactor && wholePhoto.image.height == 53 * model.scaleFactor)
    }

    /// Gray photos stay gray in every colour model, and 16-bit output keeps 16 bits.
    @Test(arguments: RestorationColorModel.allCases)
    func grayPhotosGiveGrayResults(colorModel: RestorationColorModel) {
        var generator = SplitMix64(seed: 3)
        let model: any TensorRestorer = switch colorModel {
        case .rgb: ESPCN(scale: 2, colorModel: .rgb, using: &generator)
        case .nhatThanhYCbCr: ESPCN(scale: 2, using: &generator)
        case .opencvLuma: ESPCN(scale: 2, variant: .luma, using: &generator)
        case .gray: DnCNN(channels: 1, features: 4, depth: 3, using: &generator)
        }
        let gray = Image(width: 20, height: 12, channels: 1, samples: (0..<240).map { UInt16($0 % 256) })
        let result = model.restore(gray, options: RestorationOptions(bitDepth: 16)).image
        #expect(result.channels == 1 && result.bitDepth == 16)
        #expect(result.width == 20 * model.scaleFactor)
    }

    @Test(.fixtures(restoration("weights/opencv-espcn/ESPCN_x2.pb")))
    func weightsOfAnotherScaleAreRefused() throws {
        let url = try Fixtures.require(Self.restoration("weights/opencv-espcn/ESPCN_x2.pb"))
        #expect(try RestorationModelKind.espcn.load(weights: url, scale: 2).scaleFactor == 2)
        let error = #expect(throws: ModelLoadingError.self) { try RestorationModelKind.espcn.load(weights: url, scale: 3) }
        #expect(error?.localizedDescription.contains("ESPCN_x2.pb") == true)
        #expect(error?.localizedDescription.contains("upscale ×2") == true)
    }

    @Test(.fixtures(restoration("weights/opencv-espcn/ESPCN_x3.pb")))
    func truncatedAndForeignGraphsAreRefusedNamingTheFile() throws {
        let bytes = try Data(contentsOf: Fixtures.require(Self.restoration("weights/opencv-espcn/ESPCN_x3.pb")))
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let truncated = folder.appendingPathComponent("truncated.pb")
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        let error = #expect(throws: ModelLoadingError.self) { try RestorationModelKind.espcn.load(weights: truncated) }
        #expect(error?.localizedDescription.contains("truncated.pb") == true)
        // The graph's Tanh op renamed Sigm (same length, so the protobuf stays valid).
        var foreign = [UInt8](bytes)
        let tanh = Array("Tanh".utf8)
        let at = try #require((0...(foreign.count - 4)).first { Array(foreign[$0 ..< $0 + 4]) == tanh && foreign[$0 - 1] == 4 })
        foreign.replaceSubrange(at ..< at + 4, with: Array("Sigm".utf8))
        let foreignURL = folder.appendingPathComponent("foreign.pb")
        try Data(foreign).write(to: foreignURL)
        let refusal = #expect(throws: ModelLoadingError.self) { try RestorationModelKind.espcn.load(weights: foreignURL) }
        #expect(refusal?.localizedDescription.contains("foreign.pb") == true)
        #expect(refusal?.localizedDescription.contains("Sigm") == true)
    }

    /// KAIR's 17-layer DnCNN and Lumen's own 10 x 32 are both read from their shapes.
    @Test(.fixtures(restoration("weights/kair/dncnn_25.pth")))
    func dncnnArchitectureComesFromTheWeights() throws {
        let kair = try #require(try RestorationModelKind.dncnn.load(
            weights: Fixtures.require(Self.restoration("weights/kair/dncnn_25.pth"))) as? DnCNN)
        #expect(kair.depth == 17 && kair.features == 64 && kair.channels == 1)
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let small = RestorationModelKind.dncnn.makeModel(seed: 5)
        let url = folder.appendingPathComponent("small.safetensors")
        try small.saveWeights(to: url, kind: .dncnn)
        let loaded = try #require(try RestorationModelKind.dncnn.load(weights: url) as? DnCNN)
        #expect(loaded.depth == RestorationModelKind.lumenDnCNNDepth && loaded.features == RestorationModelKind.lumenDnCNNFeatures)
        let input = Tensor(shape: [1, 1, 20, 20], scalars: (0..<400).map { Float($0 % 17) / 17 })
        #expect(withoutGradients { loaded.restored(input) }.scalars == withoutGradients { small.restored(input) }.scalars)
        // Weights of one kind are refused by another.
        #expect(throws: ModelLoadingError.self) { try RestorationModelKind.espcn.load(weights: url) }
    }

    /// Every bundled restoration model loads and has the advertised shape.
    @Test func bundledRestorationWeightsLoad() throws {
        for scale in RestorationModelKind.espcn.bundledSettings {
            let model = try RestorationModelKind.espcn.pretrained(scale)
            #expect(model.scaleFactor == scale && model.colorModel == .opencvLuma)
        }
        #expect(try RestorationModelKind.dncnn.pretrained(25).colorModel == .gray)
        #expect(throws: ModelLoadingError.self) { try RestorationModelKind.espcn.pretrained(5) }
        #expect(try RestorationModelKind.denoiseAE.pretrained(25).colorModel == .rgb)
        #expect(throws: ModelLoadingError.self) { try RestorationModelKind.denoiseAE.pretrained(50) }
    }

    /// The output size limit is checked before anything is allocated.
    @Test func tooLargeResultsAreRefused() {
        var generator = SplitMix64(seed: 0)
        let model = ESPCN(scale: 4, variant: .luma, using: &generator)
        #expect(model.sizeProblem(height: 100, width: 100) == nil)
        #expect(model.sizeProblem(height: 1 << 20, width: 1 << 20)?.contains("exceed") == true)
        #expect(BicubicUpscaler(scale: 4).sizeProblem(height: 1 << 20, width: 1 << 20) != nil)
    }
}
