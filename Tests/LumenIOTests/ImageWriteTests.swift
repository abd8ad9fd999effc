import Foundation
import LumenIO
import LumenTestSupport
import Testing

@Suite struct ImageWriteTests {
    let image = gradientImage(width: 12, height: 8, channels: 3)

    @Test(arguments: [("out.png", ImageFormat.png), ("out.JPG", .jpeg), ("out.jpeg", .jpeg)])
    func formatFollowsTheExtension(name: String, format: ImageFormat) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent(name)
        try image.write(to: url)
        let data = try Data(contentsOf: url)
        #expect(data == (try image.encoded(as: format)))
        #expect(try contents(of: directory) == [name])
    }

    @Test func explicitFormatAndBitDepthWin() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("output.bin")
        try image.write(to: url, format: .png, bitDepth: 16)
        #expect(try Image(contentsOf: url) == image.converted(toBitDepth: 16))
    }

    @Test func unknownExtensionWritesNothing() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("out.gif")
        #expect(throws: ImageWriteError.unknownExtension(path: url.path)) { try image.write(to: url) }
        #expect(try contents(of: directory).isEmpty)
    }

    @Test func failedEncodeLeavesTheOldFileAlone() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("photo.jpg")
        try image.write(to: url)
        let before = try Data(contentsOf: url)
        let rgba = gradientImage(width: 4, height: 4, channels: 4)
        let expected = ImageWriteError.encodingFailed(path: url.path, .unsupportedChannelCount(4, format: .jpeg))
        #expect(throws: expected) { try rgba.write(to: url) }
        #expect(expected.localizedDescription.hasPrefix(url.path + ": JPEG cannot store 4 channels"))
        #expect(try Data(contentsOf: url) == before)
        #expect(try contents(of: directory) == ["photo.jpg"])
    }

    @Test func missingDirectoryThrowsAndLeavesNothing() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("no/such/dir/out.png")
        #expect {
            try image.write(to: url)
        } throws: { error in
            guard case .fileSystem(.cannotCreate(let path, _))? = error as? ImageWriteError else { return false }
            return path == url.path && (error as? LocalizedError)?.errorDescription?.hasPrefix(url.path) == true
        }
        #expect(try contents(of: directory).isEmpty)
    }

    @Test func existingFileIsReplacedWhole() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("out.png")
        try Data(repeating: 0xAB, count: 100_000).write(to: url)
        try image.write(to: url)
        #expect(try Image(contentsOf: url) == image)
        #expect(try contents(of: directory) == ["out.png"])
    }
}
