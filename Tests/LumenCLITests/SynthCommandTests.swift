import Foundation
import LumenImaging
import LumenIO
import LumenTestSupport
import Testing

/// `lumen synth` run as a user would, on photos from `../shared/data/train-unpaired/`.
@Suite(.tags(.endToEnd)) struct SynthCommandTests {
    static let first = Fixtures.data("train-unpaired/1.jpg")
    static let second = Fixtures.data("train-unpaired/10.jpg")
    static let third = Fixtures.data("train-unpaired/100.jpg")

    /// The part of `parameters.json` a replay needs.
    struct Manifest: Decodable {
        struct Sample: Decodable { let name: String, source: String, seed: UInt64, parameters: DegradationParameters }
        let seed: UInt64
        let degradation: Degradation
        let samples: [Sample]
    }

    /// A temporary folder holding copies of the three photos.
    private func folderOfPhotos() throws -> URL {
        let folder = try makeTemporaryDirectory()
        for photo in [Self.first, Self.second, Self.third] {
            try FileManager.default.copyItem(at: Fixtures.require(photo), to: folder.appendingPathComponent(photo.lastPathComponent))
        }
        return folder
    }

    private func names(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test(.fixtures(first, second, third))
    func writesDarkerPairsWithMatchingNamesAndReplayableParameters() throws {
        let folder = try folderOfPhotos(), out = try makeTemporaryDirectory()
        defer { for url in [folder, out] { try? FileManager.default.removeItem(at: url) } }
        let run = try runLumen(["synth", "--in", folder.path, "--out", out.path, "--seed", "3", "--ev-min", "-2.5", "--ev-max", "-1.5"])
        #expect(run.status == 0, "\(run.standardError)")
        let (low, high) = (out.appendingPathComponent("low"), out.appendingPathComponent("high"))
        #expect(try names(in: low) == ["1.png", "10.png", "100.png"])
        #expect(try names(in: high) == names(in: low))
        #expect(run.standardError.contains("3/3 images") && run.standardError.contains("images/s") && run.standardError.contains("ETA"))

        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: out.appendingPathComponent("parameters.json")))
        #expect(manifest.seed == 3 && manifest.degradation.ev == -2.5 ... -1.5)
        #expect(manifest.samples.map(\.name) == ["1.png", "10.png", "100.png"])
        #expect(Set(manifest.samples.map(\.seed)).count == 3)
        for sample in manifest.samples {
            let original = try Image(contentsOf: folder.appendingPathComponent(sample.source))
            let (darker, normal) = try (Image(contentsOf: low.appendingPathComponent(sample.name)),
                                        Image(contentsOf: high.appendingPathComponent(sample.name)))
            #expect(normal == original.rgb())
            #expect(darker.width == original.width && darker.height == original.height && darker.channels == 3)
            #expect(darker.samples.reduce(0) { $0 + Int($1) } < normal.samples.reduce(0) { $0 + Int($1) })
            #expect(manifest.degradation.ev.contains(sample.parameters.ev))
            let replayed = manifest.degradation.applied(to: normal.tensor(), parameters: sample.parameters)
            #expect(Image(tensor: replayed) == darker, "\(sample.name) replays exactly")
        }
    }

    @Test(.fixtures(first, second, third))
    func theSameSeedGivesTheSameBytes() throws {
        let folder = try folderOfPhotos()
        let outputs = try (0..<3).map { _ in try makeTemporaryDirectory() }
        defer { for url in [folder] + outputs { try? FileManager.default.removeItem(at: url) } }
        for (output, seed) in zip(outputs, ["5", "5", "6"]) {
            let run = try runLumen(["synth", "--in", folder.path, "--out", output.path, "--seed", seed, "--count-per-image", "2"])
            #expect(run.status == 0, "\(run.standardError)")
        }
        let files = ["parameters.json"] + (try names(in: outputs[0].appendingPathComponent("low"))).flatMap { ["low/\($0)", "high/\($0)"] }
        #expect(files.count == 1 + 2 * 6 && files.contains("low/10-2.png"))
        for file in files {
            let bytes = try outputs.map { try Data(contentsOf: $0.appendingPathComponent(file)) }
            #expect(bytes[0] == bytes[1], "\(file) is reproduced")
            if file.hasPrefix("low/") { #expect(bytes[0] != bytes[2], "\(file) changes with the seed") }
        }
    }

    @Test(.fixtures(first, second, third))
    func aCorruptFileIsNamedAndTheOthersAreStillWritten() throws {
        let folder = try folderOfPhotos(), out = try makeTemporaryDirectory()
        defer { for url in [folder, out] { try? FileManager.default.removeItem(at: url) } }
        let bytes = try Data(contentsOf: folder.appendingPathComponent("10.jpg"))
        try bytes.prefix(bytes.count / 3).write(to: folder.appendingPathComponent("10.jpg"))
        let run = try runLumen(["synth", "--in", folder.path, "--out", out.path])
        #expect(run.status != 0)
        #expect(run.standardError.contains("10.jpg"))
        #expect(try names(in: out.appendingPathComponent("low")) == ["1.png", "100.png"])
        #expect(try names(in: out.appendingPathComponent("high")) == ["1.png", "100.png"])
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: out.appendingPathComponent("parameters.json")))
        #expect(manifest.samples.map(\.source) == ["1.jpg", "100.jpg"])
    }

    @Test func badRangesAreRefused() throws {
        let run = try runLumen(["synth", "--in", ".", "--out", "unused", "--ev-min", "-1", "--ev-max", "-3"])
        #expect(run.status != 0 && run.standardError.contains("--ev-min"))
    }
}
