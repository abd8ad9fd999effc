import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// Where `lumen enhance` writes, what it refuses before doing any work, and how alpha
/// and the new formats come through. Uses `--method gamma`, so no weights are needed.
@Suite(.tags(.endToEnd)) struct EnhanceOutputTests {
    /// An 8 x 6 RGBA image with a transparent first column and colour hidden under it.
    static let rgba: Image = {
        var samples: [UInt16] = []
        for y in 0..<6 {
            for x in 0..<8 { samples += [UInt16(20 + 9 * x), UInt16(30 + 5 * y), 60, x == 0 ? 0 : UInt16(100 + 20 * x)] }
        }
        return Image(width: 8, height: 6, channels: 4, samples: samples)
    }()

    static let opaque = rgba.colorChannels

    /// A fresh folder holding `files`, each written with `image` in the format its name gives.
    func folder(_ files: [String], image: Image = opaque) throws -> URL {
        let folder = try makeTemporaryDirectory()
        for name in files { try image.write(to: folder.appendingPathComponent(name), quality: 100) }
        return folder
    }

    func contents(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    /// Expects a failure whose standard error is one line naming every one of `names`.
    func expectRefusal(_ run: LumenRun, naming names: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status != 0, sourceLocation: sourceLocation)
        let lines = run.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(run.standardError)", sourceLocation: sourceLocation)
        for name in names { #expect(run.standardError.contains(name), "\(run.standardError)", sourceLocation: sourceLocation) }
    }

    @Test func unknownOutputExtensionWithOneInputIsAnError() throws {
        let folder = try folder(["a.png"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runLumen(["enhance", "a.png", "-o", "x.gif", "--method", "gamma"], in: folder)
        expectRefusal(run, naming: ["x.gif", ".png", ".webp"])
        #expect(try contents(folder) == ["a.png"])
    }

    @Test func formatConflictingWithTheExtensionIsAnError() throws {
        let folder = try folder(["a.png"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runLumen(["enhance", "a.png", "-o", "y.png", "--format", "jpeg", "--method", "gamma"], in: folder)
        expectRefusal(run, naming: ["y.png", "--format jpeg"])
        #expect(try contents(folder) == ["a.png"])
    }

    /// Several inputs need a folder: an image file name is not silently made one.
    @Test func severalInputsWithAnOutputFileNameAreAnError() throws {
        let folder = try folder(["a.png", "b.png"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runLumen(["enhance", "a.png", "b.png", "-o", "out.webp", "--method", "gamma"], in: folder)
        expectRefusal(run, naming: ["out.webp", "folder"])
        #expect(try contents(folder) == ["a.png", "b.png"])
    }

    @Test func twoInputsWithOneOutputAreRefusedBeforeAnyWork() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = folder.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: false)
        for name in ["a.jpg", "a.png", "b.png"] { try Self.opaque.write(to: inputs.appendingPathComponent(name)) }
        let run = try runLumen(["enhance", "in", "-o", "out", "--method", "gamma"], in: folder)
        expectRefusal(run, naming: ["in/a.jpg", "in/a.png", "out/a.png"])
        #expect(try contents(folder) == ["in"])
    }

    @Test func anOutputFileEqualToItsInputIsRefused() throws {
        let folder = try folder(["a.png"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try Data(contentsOf: folder.appendingPathComponent("a.png"))
        let run = try runLumen(["enhance", "a.png", "-o", "./a.png", "--method", "gamma"], in: folder)
        expectRefusal(run, naming: ["a.png", "replace"])
        #expect(try Data(contentsOf: folder.appendingPathComponent("a.png")) == before)
    }

    /// Without -o, `a.png` goes to `a-enhanced.png`, which is itself an input here.
    @Test func anOutputReplacingAnotherInputIsRefused() throws {
        let folder = try folder(["a.png", "a-enhanced.png"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runLumen(["enhance", ".", "--method", "gamma"], in: folder)
        expectRefusal(run, naming: ["a-enhanced.png", "a.png", "replace"])
        #expect(try contents(folder) == ["a-enhanced.png", "a.png"])
    }

    /// A previous run's output is not an input, so running again replaces it.
    @Test func aPreviousOutputIsReplaced() throws {
        let folder = try folder(["a.png"])
        defer { try? FileManager.default.removeItem(at: folder) }
        for _ in 0..<2 {
            let run = try runLumen(["enhance", "a.png", "-o", "lit.png", "--method", "gamma"], in: folder)
            #expect(run.status == 0, "\(run.standardError)")
        }
        #expect(try contents(folder) == ["a.png", "lit.png"])
    }

    @Test(arguments: [("x.tif", ImageFormat.tiff), ("x.webp", .webp), ("x.bmp", .bmp), ("x.jpeg", .jpeg)])
    func outputFilesOfEveryFormat(name: String, format: ImageFormat) throws {
        let folder = try folder(["a.png"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runLumen(["enhance", "a.png", "-o", name, "--method", "gamma", "--quality", "100"], in: folder)
        #expect(run.status == 0, "\(run.standardError)")
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        #expect(try Image.decode(data, name: name).width == 8)
        #expect(ImageFormat(pathExtension: (name as NSString).pathExtension) == format)
    }

    @Test func foldersOfEveryFormatAreRead() throws {
        let names = ImageFormat.allCases.map { "\($0.rawValue).\($0.fileExtension)" }
        let folder = try folder(names)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runLumen(["enhance", ".", "-o", "out", "--method", "gamma"], in: folder)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try contents(folder.appendingPathComponent("out")) == ImageFormat.allCases.map { "\($0.rawValue).png" }.sorted())
    }

    /// The colour is enhanced; the alpha channel comes out exactly as it went in.
    @Test(arguments: ["lit.png", "lit.tif", "lit.webp", "lit.bmp"])
    func alphaIsCarriedThrough(output: String) throws {
        let folder = try folder(["a.png"], image: Self.rgba)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runLumen(["enhance", "a.png", "-o", output, "--method", "gamma", "--quality", "100"], in: folder)
        #expect(run.status == 0, "\(run.standardError)")
        let lit = try Image(contentsOf: folder.appendingPathComponent(output))
        #expect(lit.channels == 4)
        #expect(lit.alphaChannel == Self.rgba.alphaChannel)
        let before = Self.rgba.colorChannels.samples.reduce(0) { $0 + Int($1) }
        #expect(lit.colorChannels.samples.reduce(0) { $0 + Int($1) } > before)
    }

    @Test func grayAndAlphaBecomesRGBA() throws {
        let gray = Self.rgba.colorChannels.selectingRed().addingAlpha(Self.rgba.alphaChannel!)
        let folder = try folder(["g.png"], image: gray)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runLumen(["enhance", "g.png", "-o", "lit.png", "--method", "gamma"], in: folder)
        #expect(run.status == 0, "\(run.standardError)")
        let lit = try Image(contentsOf: folder.appendingPathComponent("lit.png"))
        #expect(lit.channels == 4 && lit.alphaChannel == gray.alphaChannel)
    }

    @Test func transparentInputToJPEGIsRefusedAndNamed() throws {
        let folder = try folder(["a.png"], image: Self.rgba)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runLumen(["enhance", "a.png", "-o", "lit.jpg", "--method", "gamma"], in: folder)
        #expect(run.status != 0)
        #expect(run.standardError.contains("a.png: has transparency, which JPEG cannot store; write PNG"))
        #expect(try contents(folder) == ["a.png"])
    }

    @Test func opaqueAlphaToJPEGIsDropped() throws {
        let opaqueAlpha = Image(width: 8, height: 6, channels: 1, samples: [UInt16](repeating: 255, count: 48))
        let folder = try folder(["a.png"], image: Self.opaque.addingAlpha(opaqueAlpha))
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runLumen(["enhance", "a.png", "-o", "lit.jpg", "--method", "gamma"], in: folder)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try Image(contentsOf: folder.appendingPathComponent("lit.jpg")).channels == 3)
    }
}

extension Image {
    /// The first channel alone, as gray.
    fileprivate func selectingRed() -> Image {
        Image(width: width, height: height, channels: 1, bitDepth: bitDepth,
              samples: stride(from: 0, to: samples.count, by: channels).map { samples[$0] })
    }
}
