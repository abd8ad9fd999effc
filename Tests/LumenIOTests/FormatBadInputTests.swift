import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// TIFF, WebP and BMP input that is cut, damaged, forged or unsupported gives an
/// error naming the file, never a crash or an image made up from garbage.
@Suite struct FormatBadInputTests {
    /// Decodes `data` from a file called `name` and returns the error, checking that it names the file.
    func error(decoding data: Data, named name: String,
               sourceLocation: SourceLocation = #_sourceLocation) throws -> ImageDecodingError {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        var caught: ImageDecodingError?
        do { _ = try Image(contentsOf: url) } catch { caught = error }
        let error = try #require(caught, "\(name) decoded", sourceLocation: sourceLocation)
        #expect(error.localizedDescription.hasPrefix(url.path + ": "), sourceLocation: sourceLocation)
        return error
    }

    static let written: [(ImageFormat, Int)] = [(.tiff, 3), (.tiff, 4), (.webp, 3), (.webp, 4), (.bmp, 3), (.bmp, 4)]

    /// Every prefix of a file fails cleanly; only the whole file decodes.
    @Test(arguments: written)
    func everyTruncationFails(format: ImageFormat, channels: Int) throws {
        let data = try gradientImage(width: 9, height: 7, channels: channels).encoded(as: format, quality: 100)
        for length in 0..<data.count {
            #expect(throws: ImageDecodingError.self, "first \(length) of \(data.count) bytes") {
                try Image.decode(data.prefix(length), name: "cut")
            }
        }
        #expect(throws: Never.self) { try Image.decode(data, name: "whole") }
    }

    @Test(arguments: ["rgb-deflate.tif", "rgb-planar.tif", "rgb-tiled.tif", "rgb-jpeg.tif", "lossless.webp",
                      "lossy.webp", "rle8.bmp", "rle4.bmp"])
    func truncatedFixtureNamesTheFile(name: String) throws {
        let data = try FormatFixtures.data(name)
        let error = try error(decoding: data.prefix(data.count * 2 / 3), named: name)
        guard case .corrupt = error else { Issue.record("\(error)"); return }
    }

    /// Seeded random damage to every fixture: each decode either fails with an
    /// `ImageDecodingError` or returns an image, and never crashes.
    @Test(arguments: ["rgb-deflate.tif", "rgb-lzw.tif", "rgb-planar.tif", "rgb-tiled.tif", "palette.tif", "rgb16.tif",
                      "rgb-jpeg.tif", "lossless-alpha.webp", "lossy-alpha.webp", "rle8.bmp", "rle4.bmp",
                      "v5-alpha.bmp", "os2.bmp", "cmyk.jpg"])
    func randomDamageNeverCrashes(name: String) throws {
        let original = [UInt8](try FormatFixtures.data(name))
        var random = Xorshift(state: name.utf8.reduce(88_172_645_463_325_252) { $0 &* 31 &+ UInt64($1) })
        for _ in 0..<300 {
            var bytes = original
            for _ in 0...Int.random(in: 0..<4, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            _ = try? Image.decode(Data(bytes), name: name)
        }
    }

    @Test func animatedWebPIsRefused() throws {
        let error = try error(decoding: try FormatFixtures.data("animated.webp"), named: "clip.webp")
        guard case .unsupported(_, .webp, _) = error else { Issue.record("\(error)"); return }
        #expect(error.localizedDescription.hasSuffix(
            "clip.webp: unsupported WebP (animated WebP is not supported; extract a frame first)"))
    }

    @Test func hugeTIFFIsRefusedBeforeAllocating() throws {
        let error = try error(decoding: RawTIFF(width: 100_000, height: 100_000).file, named: "huge.tif")
        guard case .tooLarge(_, .tiff, _) = error else { Issue.record("\(error)"); return }
    }

    /// 16 MB of uncompressed pixels claimed by a file of a few hundred bytes.
    @Test func shortUncompressedTIFFIsRefusedBeforeAllocating() throws {
        let error = try error(decoding: RawTIFF(width: 4000, height: 4000).file, named: "short.tif")
        #expect(error.localizedDescription.hasSuffix(
            "(libtiff: pixel data cut short (16000000 bytes needed, the file has 186))"))
    }

    /// libtiff refuses a zero width itself, while reading the directory.
    @Test(arguments: [(0, 4), (4, 0)])
    func zeroSizedTIFF(width: Int, height: Int) throws {
        let error = try error(decoding: RawTIFF(width: width, height: height).file, named: "zero.tif")
        switch error {
        case .zeroSize(_, .tiff, _), .corrupt(_, .tiff, _): break
        default: Issue.record("\(error)")
        }
    }

    @Test func rawTIFFDecodes() throws {
        let image = try Image.decode(RawTIFF(width: 3, height: 2).file, name: "raw.tif")
        #expect(image.samples == [0, 1, 2, 3, 4, 5])
    }

    @Test func hugeBMPIsRefusedBeforeAllocating() throws {
        let error = try error(decoding: RawBMP(width: 100_000, height: -100_000).file, named: "huge.bmp")
        #expect(error == .tooLarge(name: error.name, format: .bmp,
                                   detail: "image is 100000 x 100000 pixels, more than the decoding limit of 268435456"))
    }

    @Test func zeroSizedBMP() throws {
        let error = try error(decoding: RawBMP(width: 0, height: 4).file, named: "zero.bmp")
        #expect(error.localizedDescription.hasSuffix("zero.bmp: BMP has zero width or height (image is 0 x 4 pixels)"))
    }

    @Test func bmpPaletteIndexOutOfRange() throws {
        var bmp = RawBMP(width: 2, height: 1, bits: 8)
        bmp.palette = [[1, 2, 3]]
        bmp.pixels = [0, 7, 0, 0]
        let error = try error(decoding: bmp.file, named: "index.bmp")
        #expect(error.localizedDescription.hasSuffix("(BMP reader: palette index 7 of 1 entries)"))
    }

    @Test func bmpWithJPEGInsideIsUnsupported() throws {
        var bmp = RawBMP(width: 2, height: 1)
        bmp.compression = 4
        let error = try error(decoding: bmp.file, named: "jpeg.bmp")
        guard case .unsupported(_, .bmp, _) = error else { Issue.record("\(error)"); return }
    }
}

/// Marsaglia's xorshift64: the damage is the same on every run.
struct Xorshift: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

/// An uncompressed 8-bit gray TIFF built by hand, for headers no encoder writes.
struct RawTIFF {
    var width: Int
    var height: Int

    var file: Data {
        // A forged header's pixels are left out: the size must be refused before they are read.
        let pixels = (0..<min(max(width * height, 1), 64)).map { UInt8(truncatingIfNeeded: $0) }
        let entries: [(tag: UInt16, type: UInt16, value: UInt32)] = [
            (256, 4, UInt32(width)), (257, 4, UInt32(height)), (258, 3, 8), (259, 3, 1), (262, 3, 1),
            (273, 4, 8), (277, 3, 1), (278, 4, UInt32(max(height, 1))), (279, 4, UInt32(clamping: max(width * height, 1))),
        ]
        var bytes: [UInt8] = Array("II*\0".utf8) + Self.little(UInt32(8 + pixels.count), 4) + pixels
        bytes += Self.little(UInt32(entries.count), 2)
        for entry in entries {
            bytes += Self.little(UInt32(entry.tag), 2) + Self.little(UInt32(entry.type), 2) + Self.little(1, 4)
            bytes += entry.type == 3 ? Self.little(entry.value, 2) + [0, 0] : Self.little(entry.value, 4)
        }
        return Data(bytes + Self.little(0, 4))
    }

    static func little(_ value: UInt32, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}

/// A BMP with a 40-byte header built by hand; `pixels` are the raw rows.
struct RawBMP {
    var width: Int
    var height: Int
    var bits = 24
    var compression: UInt32 = 0
    var palette: [[UInt8]] = []
    var pixels: [UInt8] = [0, 0, 0, 0]

    var file: Data {
        let little = RawTIFF.little
        let offset = 14 + 40 + palette.count * 4
        var bytes = Array("BM".utf8) + little(UInt32(offset + pixels.count), 4) + little(0, 4) + little(UInt32(offset), 4)
        bytes += little(40, 4) + little(UInt32(bitPattern: Int32(width)), 4) + little(UInt32(bitPattern: Int32(height)), 4)
        bytes += little(1, 2) + little(UInt32(bits), 2) + little(compression, 4) + little(UInt32(pixels.count), 4)
        bytes += little(2835, 4) + little(2835, 4) + little(UInt32(palette.count), 4) + little(0, 4)
        for entry in palette { bytes += [entry[2], entry[1], entry[0], 0] }
        return Data(bytes + pixels)
    }
}
