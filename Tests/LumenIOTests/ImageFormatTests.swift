import Foundation
import LumenIO
import Testing

/// `ImageFormat` is the one list of formats, extensions and signatures.
@Suite struct ImageFormatTests {
    @Test func extensionsNameFormats() {
        let expected: [String: ImageFormat] = [
            "png": .png, "jpg": .jpeg, "JPEG": .jpeg, "tif": .tiff, "tiff": .tiff, "webp": .webp, "BMP": .bmp,
        ]
        for (name, format) in expected { #expect(ImageFormat(pathExtension: name) == format, "\(name)") }
        for name in ["gif", "heic", "", "png2"] { #expect(ImageFormat(pathExtension: name) == nil, "\(name)") }
    }

    @Test func everyExtensionBelongsToOneFormat() {
        let all = ImageFormat.allCases.flatMap(\.fileExtensions)
        #expect(Set(all).count == all.count)
        for format in ImageFormat.allCases {
            #expect(ImageFormat(pathExtension: format.fileExtension) == format)
        }
    }

    /// Each encoder's output is recognised by its signature, whatever the file is called.
    @Test(arguments: ImageFormat.allCases)
    func signaturesAreSniffed(format: ImageFormat) throws {
        let image = gradientImage(width: 8, height: 8, channels: 3)
        let decoded = try Image.decode(image.encoded(as: format, quality: 100), name: "misnamed.gif")
        #expect((decoded.width, decoded.height) == (8, 8))
    }

    @Test func namesForMessages() {
        #expect(ImageFormat.namesForMessages == "PNG, JPEG, TIFF, WebP or BMP")
        #expect(!ImageFormat.jpeg.storesAlpha && ImageFormat.allCases.filter(\.storesAlpha).count == 4)
    }
}
