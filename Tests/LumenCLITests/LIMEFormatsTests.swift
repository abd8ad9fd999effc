import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// The LIME benchmark ships as BMP: its first image (Zero-DCE's `LIME/1.bmp`,
/// stored in the fixtures as PNG) saved as BMP, TIFF and lossless WebP gives
/// byte for byte OpenCV's CLAHE reference through `lumen enhance`, as the PNG does.
@Suite(.tags(.endToEnd)) struct LIMEFormatsTests {
    static let input = Fixtures.reference("lime_01_input.png")
    static let reference = Fixtures.reference("lime_01_classic_CLAHE_L_clip2_8x8.png")

    @Test(.fixtures(input, reference), arguments: ["bmp", "tif", "webp"])
    func limeImagesEnhanceAsTheirPNG(fileExtension: String) throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = folder.appendingPathComponent("1.\(fileExtension)"), output = folder.appendingPathComponent("1-clahe.png")
        try Image(contentsOf: Fixtures.require(Self.input)).write(to: photo, quality: 100)
        let run = try runLumen(["enhance", photo.path, "-o", output.path, "--method", "clahe"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try Image(contentsOf: output) == Image(contentsOf: Fixtures.require(Self.reference)))
    }
}
