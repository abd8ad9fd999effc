import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// What the TIFF, WebP and BMP encoders write decodes back to the same image.
@Suite struct ImageFormatRoundTripTests {
    static let layouts = [(1, 8), (2, 8), (3, 8), (4, 8), (1, 16), (2, 16), (3, 16), (4, 16)]

    @Test(arguments: layouts)
    func tiffIsLossless(channels: Int, bitDepth: Int) throws {
        let image = gradientImage(width: 13, height: 7, channels: channels).converted(toBitDepth: bitDepth)
        #expect(try Image.decode(image.encoded(as: .tiff), name: "x.tif") == image)
    }

    /// Quality 100 is lossless WebP, colours under transparent pixels included.
    @Test(arguments: [3, 4])
    func webpAtQuality100IsLossless(channels: Int) throws {
        var image = try FormatFixtures.image("rgba.png")
        if channels == 3 { image = image.colorChannels }
        #expect(try Image.decode(image.encoded(as: .webp, quality: 100), name: "x.webp") == image)
    }

    @Test func lossyWebPIsClose() throws {
        let image = try FormatFixtures.image("rgb.png")
        let data = try image.encoded(as: .webp, quality: 90)
        #expect(data.count < (try image.encoded(as: .webp, quality: 100)).count)
        #expect(meanAbsoluteDifference(try Image.decode(data, name: "x.webp"), image) < 3)
    }

    @Test(arguments: [3, 4])
    func bmpIsLossless(channels: Int) throws {
        let image = gradientImage(width: 13, height: 7, channels: channels)
        #expect(try Image.decode(image.encoded(as: .bmp), name: "x.bmp") == image)
    }

    /// WebP and BMP store colour as RGB: gray comes back as RGB, alpha kept.
    @Test(arguments: [ImageFormat.webp, .bmp], [1, 2])
    func grayIsStoredAsRGB(format: ImageFormat, channels: Int) throws {
        let gray = gradientImage(width: 6, height: 5, channels: channels)
        let decoded = try Image.decode(gray.encoded(as: format, quality: 100), name: "x")
        let expected = gray.alphaChannel.map { gray.colorChannels.rgb().addingAlpha($0) } ?? gray.rgb()
        #expect(decoded == expected)
    }

    @Test(arguments: [ImageFormat.webp, .bmp, .jpeg])
    func eightBitFormatsRefuse16Bits(format: ImageFormat) {
        let image = gradientImage(width: 4, height: 4, channels: 3)
        #expect(throws: ImageEncodingError.unsupportedBitDepth(16, format: format)) {
            try image.encoded(as: format, bitDepth: 16)
        }
    }

    @Test func sixteenBitImagesAreWrittenAt8BitsWhereOnlyThatExists() throws {
        let image = gradientImage(width: 4, height: 4, channels: 3).converted(toBitDepth: 16)
        #expect(try Image.decode(image.encoded(as: .webp, quality: 100), name: "x").bitDepth == 8)
        #expect(try Image.decode(image.encoded(as: .tiff), name: "x").bitDepth == 16)
    }

    @Test func webpQualityIsChecked() {
        #expect(throws: ImageEncodingError.qualityOutOfRange(0, format: .webp)) {
            try gradientImage(width: 4, height: 4, channels: 3).encoded(as: .webp, quality: 0)
        }
    }

    @Test(arguments: ["x.tif", "x.tiff", "x.webp", "x.bmp", "x.TIF"])
    func writeInfersTheFormatFromTheExtension(name: String) throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = gradientImage(width: 5, height: 4, channels: 4)
        let url = folder.appendingPathComponent(name)
        try image.write(to: url, quality: 100)
        #expect(try Image(contentsOf: url) == image)
    }
}
