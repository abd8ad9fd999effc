import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// Builds PNG files byte by byte, for colour types and headers our encoder never
/// writes (palettes, tRNS, 1- to 4-bit gray, Adam7, a zero width). IDAT holds
/// uncompressed ("stored") deflate blocks, so no zlib is needed.
struct RawPNG {
    var width: Int
    var height: Int
    var bitDepth: Int
    /// 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA.
    var colorType: UInt8
    var interlaced = false
    /// Chunks between IHDR and IDAT, such as PLTE and tRNS.
    var chunks: [(type: String, data: [UInt8])] = []

    /// A complete file; `rows` are packed scanlines without filter bytes.
    func file(rows: [[UInt8]]) -> Data {
        var header = Self.bigEndian(UInt32(width)) + Self.bigEndian(UInt32(height))
        header += [UInt8(bitDepth), colorType, 0, 0, interlaced ? 1 : 0]
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        bytes += Self.chunk("IHDR", header)
        for chunk in chunks { bytes += Self.chunk(chunk.type, chunk.data) }
        bytes += Self.chunk("IDAT", Self.zlibStored(scanlines(rows)))
        bytes += Self.chunk("IEND", [])
        return Data(bytes)
    }

    /// Filter byte 0 before each row; for Adam7, the rows of each pass's sub-image in turn.
    private func scanlines(_ rows: [[UInt8]]) -> [UInt8] {
        guard interlaced else { return rows.flatMap { [0] + $0 } }
        precondition(bitDepth % 8 == 0, "Adam7 test images use whole bytes per sample")
        let pixelBytes = rows[0].count / width
        let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        var result: [UInt8] = []
        for (x0, y0, dx, dy) in passes where x0 < width && y0 < height {
            for y in stride(from: y0, to: height, by: dy) {
                result.append(0)
                for x in stride(from: x0, to: width, by: dx) {
                    result += rows[y][x * pixelBytes..<(x + 1) * pixelBytes]
                }
            }
        }
        return result
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        precondition(data.count <= 65_535, "one stored block holds at most 65535 bytes")
        let length = UInt16(data.count)
        var result: [UInt8] = [0x78, 0x01, 0x01, UInt8(length & 0xFF), UInt8(length >> 8)]
        result += [UInt8(~length & 0xFF), UInt8(~length >> 8)] + data
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in data { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
        return result + bigEndian(b << 16 | a)
    }
}

/// Deterministic samples that use every bit of the depth.
func patternedImage(width: Int, height: Int, channels: Int, bitDepth: Int) -> Image {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    let samples = (0..<width * height * channels).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt16(truncatingIfNeeded: state >> 33) >> (16 - bitDepth)
    }
    return Image(width: width, height: height, channels: channels, bitDepth: bitDepth, samples: samples)
}

@Suite struct ImagePNGTests {
    @Test(arguments: [1, 2, 3, 4], [8, 16])
    func encodeDecodeRoundTripsExactly(channels: Int, bitDepth: Int) throws {
        var samples = patternedImage(width: 19, height: 7, channels: channels, bitDepth: bitDepth).samples
        // Extremes and values whose high and low bytes differ, so a byte swap would show.
        let edges: [UInt16] = bitDepth == 16 ? [0, 65_535, 0x00FF, 0xFF00, 0x0102, 0x8001] : [0, 255, 1, 254, 128, 127]
        samples.replaceSubrange(0..<edges.count, with: edges)
        let image = Image(width: 19, height: 7, channels: channels, bitDepth: bitDepth, samples: samples)
        let decoded = try Image.decode(image.encoded(as: .png), name: "pattern.png")
        #expect(decoded == image)
    }

    @Test(.fixtures(Fixtures.reference("dicm_01_input.png"), Fixtures.data("test/sci/easy")))
    func realFilesRoundTripThroughOurEncoder() throws {
        let easy = Fixtures.files(in: Fixtures.data("test/sci/easy"), withExtensions: ["png"])
        let urls = [try Fixtures.require(Fixtures.reference("dicm_01_input.png"))] + easy.prefix(2)
        try #require(urls.count == 3, "expected PNGs in \(Fixtures.data("test/sci/easy").path)")
        for url in urls {
            let image = try Image(contentsOf: url)
            #expect(image.channels == 3 && image.bitDepth == 8)
            #expect(try Image.decode(image.encoded(as: .png), name: url.lastPathComponent) == image)
        }
    }

    @Test func bigEndianSixteenBitSamplesArriveInHostOrder() throws {
        let png = RawPNG(width: 2, height: 1, bitDepth: 16, colorType: 0)
        let image = try Image.decode(png.file(rows: [[0x12, 0x34, 0xFF, 0x01]]), name: "gray16.png")
        #expect(image.bitDepth == 16 && image.channels == 1)
        #expect(image.samples == [0x1234, 0xFF01])
    }

    @Test func paletteExpandsToRGB() throws {
        var png = RawPNG(width: 3, height: 1, bitDepth: 8, colorType: 3)
        png.chunks = [("PLTE", [255, 0, 0, 0, 128, 0, 1, 2, 3])]
        let image = try Image.decode(png.file(rows: [[2, 0, 1]]), name: "palette.png")
        #expect(image.channels == 3 && image.bitDepth == 8)
        #expect(image.samples == [1, 2, 3, 255, 0, 0, 0, 128, 0])
    }

    @Test func paletteTransparencyBecomesAlpha() throws {
        var png = RawPNG(width: 3, height: 1, bitDepth: 4, colorType: 3)
        png.chunks = [("PLTE", [255, 0, 0, 0, 128, 0, 1, 2, 3]), ("tRNS", [0, 77])]
        // Three 4-bit indices packed high nibble first: 0, 1, 2.
        let image = try Image.decode(png.file(rows: [[0x01, 0x20]]), name: "palette-trns.png")
        #expect(image.channels == 4)
        #expect(image.samples == [255, 0, 0, 0, 0, 128, 0, 77, 1, 2, 3, 255])
    }

    /// Low bit depths are scaled to the full 8-bit range (1-bit 1 → 255, 2-bit 1 → 85).
    @Test(arguments: [(1, [0b1010_0000], [255, 0, 255, 0]),
                      (2, [0b1110_0100], [255, 170, 85, 0]),
                      (4, [0xF0, 0x8A], [255, 0, 136, 170])])
    func lowBitDepthGrayExpandsToEightBits(bitDepth: Int, row: [UInt8], expected: [UInt16]) throws {
        let png = RawPNG(width: 4, height: 1, bitDepth: bitDepth, colorType: 0)
        let image = try Image.decode(png.file(rows: [row]), name: "gray\(bitDepth).png")
        #expect(image.channels == 1 && image.bitDepth == 8)
        #expect(image.samples == expected)
    }

    @Test func grayTransparencyBecomesAlpha() throws {
        var png = RawPNG(width: 2, height: 1, bitDepth: 8, colorType: 0)
        png.chunks = [("tRNS", [0, 9])]
        let image = try Image.decode(png.file(rows: [[9, 200]]), name: "gray-trns.png")
        #expect(image.channels == 2)
        #expect(image.samples == [9, 0, 200, 255])
    }

    @Test(arguments: [(0 as UInt8, 1), (4, 2), (2, 3), (6, 4)])
    func colorTypesGiveTheirChannelCount(colorType: UInt8, channels: Int) throws {
        let image = patternedImage(width: 5, height: 3, channels: channels, bitDepth: 8)
        let rows = (0..<3).map { y in image.samples[y * 5 * channels..<(y + 1) * 5 * channels].map { UInt8($0) } }
        let png = RawPNG(width: 5, height: 3, bitDepth: 8, colorType: colorType)
        #expect(try Image.decode(png.file(rows: rows), name: "type\(colorType).png") == image)
    }

    @Test func adam7InterlacedEqualsProgressiveRows() throws {
        let image = patternedImage(width: 11, height: 9, channels: 3, bitDepth: 16)
        let rows = (0..<9).map { y -> [UInt8] in
            image.samples[y * 33..<(y + 1) * 33].flatMap { sample -> [UInt8] in [UInt8(sample >> 8), UInt8(sample & 0xFF)] }
        }
        let png = RawPNG(width: 11, height: 9, bitDepth: 16, colorType: 2, interlaced: true)
        #expect(try Image.decode(png.file(rows: rows), name: "adam7.png") == image)
    }
}
