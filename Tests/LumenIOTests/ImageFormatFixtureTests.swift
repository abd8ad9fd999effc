import Foundation
import LumenIO
import Testing

/// Files written by Pillow and libtiff's tools decode to the pixels Pillow decodes from them.
@Suite struct ImageFormatFixtureTests {
    static let losslessTIFF = [
        "rgb-deflate.tif", "rgb-lzw.tif", "rgb-packbits.tif", "rgb-planar.tif", "rgb-tiled.tif", "rgba.tif",
        "gray.tif", "gray-alpha.tif", "gray16.tif", "rgb16.tif", "palette.tif", "bilevel.tif",
    ]

    @Test(arguments: losslessTIFF)
    func tiffMatchesExactly(name: String) throws {
        try FormatFixtures.expectMatchesReference(name)
    }

    /// JPEG-compressed TIFF (YCbCr) goes through libtiff's RGBA reader; Pillow upsamples chroma differently.
    @Test func jpegCompressedTIFFIsClose() throws {
        try FormatFixtures.expectMatchesReference("rgb-jpeg.tif", tolerance: 12)
        let decoded = try FormatFixtures.image("rgb-jpeg.tif")
        #expect(meanAbsoluteDifference(decoded, try FormatFixtures.image("rgb-jpeg.tif.png")) < 2)
    }

    @Test func tiffSixteenBitStaysSixteenBit() throws {
        let image = try FormatFixtures.image("rgb16.tif")
        #expect(image.bitDepth == 16 && image.samples.contains { $0 % 257 != 0 })
    }

    @Test func multipageTIFFReadsTheFirstPage() throws {
        try FormatFixtures.expectMatchesReference("multipage.tif")
        #expect(try FormatFixtures.image("multipage.tif") == FormatFixtures.image("rgb.png"))
    }

    /// Orientation 6, read by the exact path (strips) and libtiff's RGBA reader (JPEG tiles)
    /// alike; the references are Pillow's `exif_transpose`.
    @Test func tiffOrientationIsApplied() throws {
        try FormatFixtures.expectMatchesReference("oriented.tif")
        try FormatFixtures.expectMatchesReference("oriented-tiled.tif", tolerance: 12)
        let upright = try FormatFixtures.image("oriented.tif")
        #expect((upright.width, upright.height) == (24, 32))
    }

    @Test(arguments: ["lossless.webp", "lossless-alpha.webp"])
    func losslessWebPMatchesExactly(name: String) throws {
        try FormatFixtures.expectMatchesReference(name)
    }

    /// Pillow bundles a newer libwebp than Debian's; lossy decoding may round differently.
    @Test(arguments: ["lossy.webp", "lossy-alpha.webp"])
    func lossyWebPIsClose(name: String) throws {
        try FormatFixtures.expectMatchesReference(name, tolerance: 3)
        let decoded = try FormatFixtures.image(name), expected = try FormatFixtures.image(name + ".png")
        #expect(decoded.alphaChannel == expected.alphaChannel)
    }

    static let exactBMP = [
        "rgb24.bmp", "top-down.bmp", "os2.bmp", "palette8.bmp", "palette4.bmp", "bilevel.bmp", "rle8.bmp",
        "rle4.bmp", "v5-alpha.bmp",
    ]

    @Test(arguments: exactBMP)
    func bmpMatchesExactly(name: String) throws {
        try FormatFixtures.expectMatchesReference(name)
    }

    /// Lumen rounds 5- and 6-bit channels to 8 bits (`v * 255 / 31` to nearest); Pillow truncates.
    @Test(arguments: ["rgb555.bmp", "rgb565.bmp"])
    func sixteenBitBMPIsWithinRounding(name: String) throws {
        try FormatFixtures.expectMatchesReference(name, tolerance: 1)
    }

    @Test func bmpPixelsAreTheCrop() throws {
        #expect(try FormatFixtures.image("rgb24.bmp") == FormatFixtures.image("rgb.png"))
        #expect(try FormatFixtures.image("v5-alpha.bmp") == FormatFixtures.image("rgba.png"))
    }

    /// Adobe-inverted CMYK, converted as `(255 - C)(255 - K) / 255` from the samples Pillow decodes.
    @Test func cmykJPEGBecomesRGB() throws {
        try FormatFixtures.expectMatchesReference("cmyk.jpg", tolerance: 1)
        #expect(meanAbsoluteDifference(try FormatFixtures.image("cmyk.jpg"), try FormatFixtures.image("rgb.png")) < 3)
    }

    /// The same CMYK samples stored as YCCK (Adobe transform 2); YCCK's chroma rounding costs a little.
    @Test func ycckJPEGBecomesRGB() throws {
        try FormatFixtures.expectMatchesReference("ycck.jpg", tolerance: 4)
        #expect(meanAbsoluteDifference(try FormatFixtures.image("ycck.jpg"), try FormatFixtures.image("cmyk.jpg")) < 1)
    }
}
