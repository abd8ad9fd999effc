import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// `lumen` as a careless user runs it: arguments beyond what the input allows,
/// conflicting flags, values with no finite answer, and runs that would clobber
/// each other all end in a one-line error (or a defined answer), never a trap.
@Suite(.tags(.endToEnd)) struct ArgumentAndOutputTests {
    static let photo = Fixtures.data("test/dicm/01.jpg")

    /// Runs `lumen` expecting failure: a non-zero status and an error containing every `fragment`.
    private func expectRefusal(_ arguments: [String], environment: [String: String] = [:], _ fragments: String...,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try runLumen(arguments, environment: environment)
        #expect(run.status != 0 && run.status < 128, "status \(run.status)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(run.standardError.contains(fragment), "\(run.standardError)", sourceLocation: sourceLocation)
        }
    }

    @Test(.fixtures(photo))
    func numericArgumentsAreBoundedByWhatTheInputAllows() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let target = out.appendingPathComponent("x.png").path
        // --scale 100000 used to abort on a 120 GB allocation, --scale 12000 to take 1.7 GB.
        try expectRefusal(["enhance", Self.photo.path, "-o", target, "--scale", "100000"], "--scale must be in 1...4096")
        try expectRefusal(["enhance", Self.photo.path, "-o", target, "--scale", "4000"], "01.jpg", "--scale", "or less")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
        // train --size 4096 used to be OOM-killed; synth --count-per-image 1e9 and bench sizes aborted.
        try expectRefusal(["train", "zero-dce", "--data", out.path, "--out", out.appendingPathComponent("run").path, "--size", "4096",
                           "--batch-size", "64"], "needs about", "GiB", "--batch-size")
        try expectRefusal(["train", "zero-dce", "--data", out.path, "--size", "100000"], "--size must be in 16...4096")
        try expectRefusal(["synth", "--in", out.path, "--out", out.path, "--count-per-image", "1000000000"], "--count-per-image must be in 1...1000")
        try expectRefusal(["bench", "model", "--size", "100000x100000"], "2^28 pixels")
        try expectRefusal(["bench", "parametric", "--size", "100000x3000"], "invalid for")
        try expectRefusal(["bench", "train", "--size", "8x8"], "--size must be 16 to 4096")
        try expectRefusal(["bench", "train", "--size", "4096x4096", "--batch", "64"], "needs about")
        try expectRefusal(["train", "zero-dce", "--data", out.path, "--lr", "inf"], "--lr must be a positive finite number")
    }

    @Test(.fixtures(photo))
    func conflictsAndTheEnvironmentAreValidatedLikeFlags() throws {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-\(UUID()).png").path
        // --model sci --method clahe used to ignore the model.
        try expectRefusal(["enhance", Self.photo.path, "-o", target, "--model", "sci", "--method", "clahe"], "--method clahe", "--model")
        try expectRefusal(["enhance", Self.photo.path, "-o", target], environment: ["LUMEN_THREADS": "many"], "LUMEN_THREADS", "'many'")
        try expectRefusal(["enhance", Self.photo.path, "-o", target], environment: ["LUMEN_THREADS": "0"], "LUMEN_THREADS")
        try expectRefusal(["enhance", Self.photo.path, "-o", target, "--threads", "0"], "--threads must be in 1...1024")
        try expectRefusal(["train", "zero-dce", "--data", ".", "--resume", "--overwrite"], "--resume and --overwrite exclude each other")
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    /// `lumen metrics a.png a.png --json` (PSNR infinite) and a flat image's NIQE
    /// (undefined) used to end in a raw Foundation error with nothing printed.
    @Test(.fixtures(photo))
    func undefinedMetricsAreNullWithAReason() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runLumen(["metrics", Self.photo.path, Self.photo.path, "--metrics", "psnr,ssim", "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(object["psnr"] is NSNull)
        #expect((object["ssim"] as? Double).map { abs($0 - 1) < 1e-9 } == true)
        #expect((object["undefined"] as? [String: String])?["psnr"]?.contains("identical") == true)
        let text = try runLumen(["metrics", Self.photo.path, Self.photo.path, "--metrics", "psnr"])
        #expect(text.status == 0 && text.standardOutput.contains("inf"), "\(text.standardOutput)")

        let flat = folder.appendingPathComponent("flat.png")
        try Image(width: 256, height: 256, channels: 3, samples: [UInt16](repeating: 90, count: 256 * 256 * 3)).write(to: flat)
        let niqe = try runLumen(["metrics", flat.path, "--metrics", "niqe", "--json"])
        #expect(niqe.status == 0, "\(niqe.standardError)")
        #expect(niqe.standardOutput.contains("\"niqe\":null"), "\(niqe.standardOutput)")
    }

    /// One flat image used to turn every method's NIQE mean into NaN, and
    /// `summary.json` into one byte, with exit status 0.
    @Test(.fixtures(photo))
    func evaluationMeansAreOverTheDefinedValuesWithTheirCount() throws {
        let data = try makeTemporaryDirectory(), report = try makeTemporaryDirectory()
        defer { for url in [data, report] { try? FileManager.default.removeItem(at: url) } }
        try FileManager.default.copyItem(at: Fixtures.require(Self.photo), to: data.appendingPathComponent("photo.jpg"))
        try Image(width: 256, height: 256, channels: 3, samples: [UInt16](repeating: 0, count: 256 * 256 * 3))
            .write(to: data.appendingPathComponent("black.png"))
        let run = try runLumen(["eval", "--data", data.path, "--methods", "gamma", "--metrics", "niqe", "--out", report.path])
        let summary = try Data(contentsOf: report.appendingPathComponent("summary.json"))
        let object = try #require(JSONSerialization.jsonObject(with: summary) as? [String: Any], "\(run.standardError)")
        let methods = try #require(object["methods"] as? [[String: Any]])
        for method in methods {
            #expect((method["images"] as? Int) == 2)
            #expect(((method["counts"] as? [String: Int])?["niqe"]) == 1, "\(method)")
            #expect(((method["means"] as? [String: Double])?["niqe"]).map(\.isFinite) == true, "\(method)")
        }
        #expect(run.standardError.contains("black.png") && run.standardError.contains("undefined"), "\(run.standardError)")
        #expect(run.standardOutput.contains("(1/2)"), "\(run.standardOutput)")
    }

    /// `lumen darken x.jpg -o x.jpg` and `lumen convert w.pth -o w.pth` used to replace their input.
    @Test(.fixtures(photo, Fixtures.officialWeights("zero-dce-epoch99.pth")))
    func outputsNeverReplaceTheirInput() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = folder.appendingPathComponent("photo.jpg"), weights = folder.appendingPathComponent("w.pth")
        try FileManager.default.copyItem(at: Fixtures.require(Self.photo), to: photo)
        try FileManager.default.copyItem(at: Fixtures.require(Fixtures.officialWeights("zero-dce-epoch99.pth")), to: weights)
        let link = folder.appendingPathComponent("link.jpg")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: photo)
        let (photoBytes, weightBytes) = (try Data(contentsOf: photo), try Data(contentsOf: weights))
        try expectRefusal(["darken", photo.path, "-o", photo.path], "photo.jpg", "would replace this input")
        try expectRefusal(["darken", photo.path, "-o", link.path], "photo.jpg", "would replace this input")
        try expectRefusal(["convert", weights.path, "--model", "zero-dce", "-o", weights.path], "w.pth", "would replace this input")
        #expect(try Data(contentsOf: photo) == photoBytes)
        #expect(try Data(contentsOf: weights) == weightBytes)
    }

    /// The decode budget matches the machine and can be lowered (or raised) per run.
    @Test(.fixtures(photo))
    func imagesAboveTheDecodingLimitAreRefusedByName() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let target = out.appendingPathComponent("x.png")
        try expectRefusal(["enhance", Self.photo.path, "-o", target.path, "--max-pixels", "100000"],
                          "01.jpg", "more than the decoding limit of 100000", "--max-pixels")
        #expect(!FileManager.default.fileExists(atPath: target.path))
        try expectRefusal(["darken", Self.photo.path, "-o", target.path, "--max-pixels", "1000"], "01.jpg", "decoding limit")
        try expectRefusal(["enhance", Self.photo.path, "-o", target.path, "--max-pixels", "0"], "--max-pixels must be in 1...268435456")
        let run = try runLumen(["enhance", Self.photo.path, "-o", target.path, "--max-pixels", "307200", "--method", "gamma"])
        #expect(run.status == 0, "\(run.standardError)")
    }

    /// Foundation's "NSCocoaErrorDomain error 512" becomes the path and the reason.
    @Test(.fixtures(photo))
    func fileSystemErrorsAreInWords() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        try FileManager.default.copyItem(at: Fixtures.require(Self.photo), to: folder.appendingPathComponent("photo.jpg"))
        let run = try runLumen(["synth", "--in", folder.path, "--out", file.appendingPathComponent("pairs").path])
        #expect(run.status != 0)
        #expect(!run.standardError.contains("NSCocoaErrorDomain"), "\(run.standardError)")
        #expect(run.standardError.contains("a-file/pairs") && run.standardError.contains("Not a directory"), "\(run.standardError)")
    }
}
