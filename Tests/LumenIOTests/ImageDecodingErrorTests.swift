import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// Bad input of every kind gives a typed error that names the file, never a crash
/// or a silently damaged image.
@Suite struct ImageDecodingErrorTests {
    /// Writes `data` to a fresh directory and decodes it from there.
    func decodeFile(named name: String, containing data: Data) throws -> ImageDecodingError? {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        do {
            _ = try Image(contentsOf: url)
            return nil
        } catch {
            #expect(error.name == url.path)
            #expect(error.localizedDescription.hasPrefix(url.path + ": "))
            return error
        }
    }

    @Test(.fixtures(Fixtures.reference("dicm_01_input.png")))
    func truncatedPNG() throws {
        let png = try Data(contentsOf: try Fixtures.require(Fixtures.reference("dicm_01_input.png")))
        let error = try #require(try decodeFile(named: "x.png", containing: png.prefix(png.count / 2)))
        guard case .corrupt(_, .png, _) = error else { Issue.record("\(error)"); return }
        #expect(error.localizedDescription.contains(": truncated or corrupt PNG (libpng: "))
    }

    @Test(.fixtures(Fixtures.data("test/dicm/01.jpg")))
    func truncatedJPEG() throws {
        let jpeg = try Data(contentsOf: try Fixtures.require(Fixtures.data("test/dicm/01.jpg")))
        let error = try #require(try decodeFile(named: "night.jpg", containing: jpeg.prefix(jpeg.count / 2)))
        #expect(error.localizedDescription.hasSuffix(": truncated or corrupt JPEG (libjpeg: Premature end of JPEG file)"))
    }

    @Test(.fixtures(Fixtures.reference("dicm_01_input.png")))
    func corruptBytesInsidePNG() throws {
        var png = try Data(contentsOf: try Fixtures.require(Fixtures.reference("dicm_01_input.png")))
        png.replaceSubrange(png.count / 2..<png.count / 2 + 8, with: [UInt8](repeating: 0, count: 8))
        let error = try #require(try decodeFile(named: "x.png", containing: png))
        // libpng inflates IDAT as it streams, so the damage shows as a bad filter
        // byte or a bad zlib stream before the chunk's CRC is reached.
        guard case .corrupt(_, .png, let detail) = error else { Issue.record("\(error)"); return }
        #expect(!detail.isEmpty)
    }

    /// JPEG has no checksum, so not every damaged byte is detectable; a run of 0xFF
    /// (what erased flash reads as) cuts the entropy-coded data short.
    @Test(.fixtures(Fixtures.data("test/dicm/01.jpg")))
    func corruptBytesInsideJPEG() throws {
        var jpeg = try Data(contentsOf: try Fixtures.require(Fixtures.data("test/dicm/01.jpg")))
        jpeg.replaceSubrange(jpeg.count / 2..<jpeg.count / 2 + 64, with: [UInt8](repeating: 0xFF, count: 64))
        let error = try #require(try decodeFile(named: "night.jpg", containing: jpeg))
        #expect(error == .corrupt(name: error.name, format: .jpeg,
                                  detail: "Corrupt JPEG data: premature end of data segment"))
    }

    @Test func notAnImage() throws {
        let zip = Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00])
        let error = try #require(try decodeFile(named: "night.jpg", containing: zip))
        #expect(error == .unrecognizedFormat(name: error.name, firstBytes: [0x50, 0x4B, 0x03, 0x04]))
        #expect(error.localizedDescription.hasSuffix("night.jpg: not a PNG, JPEG, TIFF, WebP or BMP file (first bytes 50 4B 03 04)"))
    }

    @Test func shorterThanASignature() throws {
        let error = try #require(try decodeFile(named: "tiny.jpg", containing: Data([0xFF, 0xD8])))
        #expect(error.localizedDescription.hasSuffix("tiny.jpg: not a PNG, JPEG, TIFF, WebP or BMP file (first bytes FF D8)"))
    }

    @Test func emptyFile() throws {
        let error = try #require(try decodeFile(named: "empty.jpg", containing: Data()))
        #expect(error == .emptyFile(name: error.name))
        #expect(error.localizedDescription.hasSuffix("empty.jpg: empty file"))
    }

    @Test(arguments: [(0, 16), (16, 0)])
    func zeroSizedPNG(width: Int, height: Int) throws {
        let png = RawPNG(width: width, height: height, bitDepth: 8, colorType: 0)
        let error = try #require(try decodeFile(named: "zero.png", containing: png.file(rows: [[0]])))
        #expect(error == .zeroSize(name: error.name, format: .png, detail: "image is \(width) x \(height) pixels"))
        #expect(error.localizedDescription.hasSuffix("zero.png: PNG has zero width or height (image is \(width) x \(height) pixels)"))
    }

    /// The header is checked before anything is allocated.
    @Test func hugePNGIsRefusedBeforeAllocating() throws {
        let png = RawPNG(width: 100_000, height: 100_000, bitDepth: 16, colorType: 6)
        let error = try #require(try decodeFile(named: "huge.png", containing: png.file(rows: [[0]])))
        guard case .tooLarge(_, .png, _) = error else { Issue.record("\(error)"); return }
    }

    /// A valid JPEG whose SOF0 header is patched to claim another size.
    @Test(arguments: [(60_000, 60_000), (0, 16)])
    func jpegSizeIsCheckedBeforeDecoding(width: Int, height: Int) throws {
        var bytes = Array(try gradientImage(width: 16, height: 16, channels: 1).encoded(as: .jpeg))
        let sof = try #require(bytes.indices.first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        // Marker, length (2), precision (1), then height and width, big-endian.
        bytes.replaceSubrange(sof + 5..<sof + 9, with: [UInt8(height >> 8), UInt8(height & 0xFF),
                                                        UInt8(width >> 8), UInt8(width & 0xFF)])
        let error = try #require(try decodeFile(named: "patched.jpg", containing: Data(bytes)))
        switch (error, width) {
        case (.tooLarge(_, .jpeg, _), 60_000): break
        // libjpeg refuses a zero height itself, while reading the header.
        case (.corrupt(_, .jpeg, _), 0): break
        default: Issue.record("\(error)")
        }
    }

    @Test func missingFile() throws {
        let url = URL(fileURLWithPath: "missing-\(UUID().uuidString)/missing.jpg")
        #expect(throws: ImageDecodingError.fileNotFound(name: url.relativePath)) { try Image(contentsOf: url) }
        let error = ImageDecodingError.fileNotFound(name: "missing.jpg")
        #expect(error.localizedDescription == "missing.jpg: no such file")
    }

    @Test func directoryIsUnreadable() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect {
            try Image(contentsOf: directory)
        } throws: { error in
            guard case .unreadable(let name, _)? = error as? ImageDecodingError else { return false }
            return name == directory.path
        }
    }

    /// Every prefix of a valid file fails cleanly; only the whole file decodes.
    @Test(arguments: [ImageFormat.png, .jpeg])
    func everyTruncationFails(format: ImageFormat) throws {
        let data = try gradientImage(width: 9, height: 7, channels: 3).encoded(as: format)
        for length in 0..<data.count {
            #expect(throws: ImageDecodingError.self, "first \(length) of \(data.count) bytes") {
                try Image.decode(data.prefix(length), name: "cut")
            }
        }
        #expect(throws: Never.self) { try Image.decode(data, name: "whole") }
    }
}
