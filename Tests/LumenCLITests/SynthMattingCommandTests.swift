import Foundation
import LumenImaging
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// `lumen synth-matting` run as a user would, on photos from `../shared/data/train-unpaired/`.
@Suite(.tags(.endToEnd)) struct SynthMattingCommandTests {
    static let photos = ["1.jpg", "10.jpg", "100.jpg", "1000.jpg", "1001.jpg", "1002.jpg", "1003.jpg", "1004.jpg"]
        .map { Fixtures.data("train-unpaired/" + $0) }

    struct Manifest: Decodable {
        struct Crop: Decodable { let left: Int, top: Int, side: Int, flipped: Bool }
        struct Sample: Decodable {
            let name: String
            let foreground: String, foregroundCrop: Crop
            let background: String, backgroundCrop: Crop
            let matte: SyntheticMatte
            let degradation: DegradationParameters?
            let numpySeed: UInt32?
        }
        let size: Int
        let trimapRadius: Int
        let lumenDegradation: Degradation?
        let samples: [Sample]
    }

    private func folderOfPhotos() throws -> URL {
        let folder = try makeTemporaryDirectory()
        for photo in Self.photos {
            try FileManager.default.copyItem(at: Fixtures.require(photo), to: folder.appendingPathComponent(photo.lastPathComponent))
        }
        return folder
    }

    private func synthesize(_ photos: URL, _ out: URL, _ extra: [String]) throws -> Manifest {
        let run = try runLumen(["synth-matting", "--photos", photos.path, "--out", out.path, "--count", "3", "--size", "64",
                                "--test-fraction", "0.5", "--seed", "5"] + extra)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("3/3 samples") && run.standardError.contains("ETA"))
        return try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: out.appendingPathComponent("parameters.json")))
    }

    /// The square crop of a photo that a sample records, resized as the command does.
    private func crop(_ photo: URL, _ record: Manifest.Crop, size: Int) throws -> Image {
        let image = try Image(contentsOf: photo).rgb()
        var samples = [UInt16]()
        for y in record.top..<(record.top + record.side) {
            for column in 0..<record.side {
                let x = record.flipped ? record.left + record.side - 1 - column : record.left + column
                samples += image.samples[((y * image.width + x) * 3)..<((y * image.width + x) * 3 + 3)]
            }
        }
        let square = Image(width: record.side, height: record.side, channels: 3, samples: samples)
        return record.side == size ? square : square.resizedLikeMATLAB(width: size, height: size)
    }

    @Test(.fixtures(photos[0], photos[7]))
    func compositesWithAnExactAlphaAndReplays() throws {
        let photos = try folderOfPhotos(), out = try makeTemporaryDirectory(), again = try makeTemporaryDirectory()
        defer { for url in [photos, out, again] { try? FileManager.default.removeItem(at: url) } }
        let manifest = try synthesize(photos, out, [])
        #expect(manifest.samples.map(\.name) == ["00000.png", "00001.png", "00002.png"])
        for sample in manifest.samples {
            func load(_ folder: String) throws -> Image { try Image(contentsOf: out.appendingPathComponent(folder + "/" + sample.name)) }
            let (image, normal) = (try load("image"), try load("normal"))
            let alpha = try Matte(image: load("alpha")), trimap = try Trimap(image: load("trimap"))
            #expect(sample.foreground != sample.background)
            // The stored alpha is the recorded matte, and the composite is made with it.
            #expect(sample.matte.rendered(width: 64, height: 64) == alpha)
            #expect(trimap == Trimap(groundTruth: alpha, unknownRadius: manifest.trimapRadius))
            let foreground = try crop(photos.appendingPathComponent(sample.foreground), sample.foregroundCrop, size: 64)
            let background = try crop(photos.appendingPathComponent(sample.background), sample.backgroundCrop, size: 64)
            #expect(Image(tensor: alpha.composited(foreground: foreground.tensor(), background: background.tensor())) == normal)
            // Only the image is darkened, and the darkening replays.
            let degradation = try #require(manifest.lumenDegradation), parameters = try #require(sample.degradation)
            #expect(Image(tensor: degradation.applied(to: normal.tensor(), parameters: parameters)) == image)
        }
        _ = try synthesize(photos, again, [])
        for folder in ["image", "normal", "alpha", "trimap"] {
            for sample in manifest.samples {
                let path = folder + "/" + sample.name
                #expect(try Data(contentsOf: out.appendingPathComponent(path)) == Data(contentsOf: again.appendingPathComponent(path)),
                        "\(path) is reproduced byte for byte")
            }
        }
    }

    @Test(.fixtures(photos[0], photos[7]))
    func seedDegradationAndHeldOutSplit() throws {
        let photos = try folderOfPhotos(), train = try makeTemporaryDirectory(), test = try makeTemporaryDirectory()
        defer { for url in [photos, train, test] { try? FileManager.default.removeItem(at: url) } }
        let trainManifest = try synthesize(photos, train, ["--degradation", "seed"])
        let testManifest = try synthesize(photos, test, ["--split", "test", "--degradation", "none"])
        let used = { (manifest: Manifest) in Set(manifest.samples.flatMap { [$0.foreground, $0.background] }) }
        #expect(used(trainManifest).isDisjoint(with: used(testManifest)), "a held-out photo is never used for training")
        for sample in trainManifest.samples {
            let normal = try Image(contentsOf: train.appendingPathComponent("normal/" + sample.name))
            var random = NumPyRandomState(seed: try #require(sample.numpySeed))
            let image = try Image(contentsOf: train.appendingPathComponent("image/" + sample.name))
            #expect(SeedLowLight().applied(to: normal, random: &random) == image)
        }
        for sample in testManifest.samples {
            #expect(try Image(contentsOf: test.appendingPathComponent("image/" + sample.name))
                    == Image(contentsOf: test.appendingPathComponent("normal/" + sample.name)))
        }
    }

    @Test(.fixtures(photos[0]))
    func refusesASplitWithOnePhoto() throws {
        let photos = try makeTemporaryDirectory(), out = try makeTemporaryDirectory()
        defer { for url in [photos, out] { try? FileManager.default.removeItem(at: url) } }
        try FileManager.default.copyItem(at: Fixtures.require(Self.photos[0]), to: photos.appendingPathComponent("1.jpg"))
        let run = try runLumen(["synth-matting", "--photos", photos.path, "--out", out.path, "--test-fraction", "0.01"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("has 1 of its 1 photos; a sample needs two"), "\(run.standardError)")
    }
}
