import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// Bad input is reported by name, the rest still runs, and nothing half-written is left.
@Suite(.tags(.endToEnd)) struct BadInputTests {
    static let sciWeights = Fixtures.officialWeights("sci-medium.pt")
    static let photo = Fixtures.data("test/dicm/01.jpg")

    /// A folder with one good photo and one truncated copy.
    private func folderWithTruncatedJPEG() throws -> URL {
        let folder = try makeTemporaryDirectory()
        let bytes = try Data(contentsOf: Fixtures.require(Self.photo))
        try bytes.write(to: folder.appendingPathComponent("good.jpg"))
        try bytes.prefix(bytes.count / 2).write(to: folder.appendingPathComponent("cut.jpg"))
        return folder
    }

    @Test(.fixtures(sciWeights, photo))
    func truncatedJPEGIsSkippedAndNamed() throws {
        let folder = try folderWithTruncatedJPEG(), out = try makeTemporaryDirectory()
        defer { for url in [folder, out] { try? FileManager.default.removeItem(at: url) } }
        let run = try runLumen(["enhance", folder.path, "-o", out.path, "--model", "sci", "--weights", Self.sciWeights.path])
        #expect(run.status != 0)
        #expect(run.standardError.contains("cut.jpg"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["good.png"])
        #expect(run.standardOutput.contains("enhanced 1 of 2 images"))
    }

    @Test(.fixtures(sciWeights, photo))
    func missingFileIsNamedAndTheOthersStillRun() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try runLumen(["enhance", "no-such-photo.jpg", Self.photo.path, "-o", out.path,
                                "--model", "sci", "--weights", Self.sciWeights.path])
        #expect(run.status != 0)
        #expect(run.standardError.contains("no-such-photo.jpg: no such file"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["01.png"])
    }

    @Test(.fixtures(sciWeights, photo))
    func checkpointOfAnotherModelIsRefused() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let target = out.appendingPathComponent("x.png")
        let run = try runLumen(["enhance", Self.photo.path, "-o", target.path, "--model", "zero-dce", "--weights", Self.sciWeights.path])
        #expect(run.status != 0)
        #expect(run.standardError.contains("sci-medium.pt") && run.standardError.contains("ZeroDCE"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }

    @Test(.fixtures(photo))
    func checkpointWithAForeignPickleGlobalIsRefused() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        // A legacy-format checkpoint (magic number, protocol 1001, system info)
        // whose state-dictionary pickle names os.system.
        var pickle: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]
        pickle += [0x80, 0x02, UInt8(ascii: "M"), 0xE9, 0x03, 0x2E]
        pickle += [0x80, 0x02, UInt8(ascii: "}"), 0x2E]
        pickle += [0x80, 0x02, UInt8(ascii: "c")] + Array("os\nsystem\n".utf8) + [0x2E]
        let evil = out.appendingPathComponent("evil.pth")
        try Data(pickle).write(to: evil)
        let run = try runLumen(["enhance", Self.photo.path, "-o", out.appendingPathComponent("x.png").path,
                                "--model", "zero-dce", "--weights", evil.path])
        #expect(run.status != 0)
        #expect(run.standardError.contains("evil.pth") && run.standardError.contains("os.system"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["evil.pth"])
    }

    @Test(.fixtures(photo))
    func anOutputNeverReplacesItsInput() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = folder.appendingPathComponent("a.jpg")
        try FileManager.default.copyItem(at: Self.photo, to: photo)
        let run = try runLumen(["enhance", folder.path, "-o", folder.path, "--format", "jpeg", "--model", "sci", "--weights", Self.sciWeights.path])
        #expect(run.status != 0)
        #expect(run.standardError.contains("a.jpg") && run.standardError.contains("replace"))
        #expect(try Data(contentsOf: photo) == Data(contentsOf: Self.photo))
    }

    @Test(arguments: [
        (["enhance", "a.jpg", "--bit-depth", "12"], "--bit-depth"),
        (["enhance", "a.jpg", "--quality", "0"], "--quality"),
        (["enhance", "a.jpg", "--model", "nope"], "nope"),
        (["enhance", "a.jpg", "--tile-size", "3"], "--tile-size"),
        (["enhance", "a.jpg", "-o", "a.jpg", "--bit-depth", "16"], "16-bit"),
        (["enhance", "a.jpg", "--model", "sci", "--scale", "4"], "--scale"),
    ])
    func badArgumentsAreRejected(arguments: [String], mentions: String) throws {
        let run = try runLumen(arguments)
        #expect(run.status != 0)
        #expect(run.standardError.contains(mentions), "\(run.standardError)")
    }
}
