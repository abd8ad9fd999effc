import ArgumentParser
import Foundation
import LumenImaging
import LumenIO
import LumenTensor

/// `lumen synth-matting`: composited matting data with an exactly known alpha.
struct SynthMatting: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth-matting",
        abstract: "Make matting training or test data: composites with a known alpha, darkened.",
        discussion: """
            No matting data set can be downloaded, so this builds one. Each sample draws a procedural \
            matte (a soft or hard outline, holes, a semi-transparent veil, thin hair-like strands), a \
            foreground texture and a background from two different photos of --photos (random square \
            crops resized to --size), and composites I = a*F + (1-a)*B with the 8-bit alpha that is \
            stored, so the alpha is exact. The image alone is then darkened: Lumen's camera-like \
            degradation (--degradation lumen, the default, with --ev-min/--ev-max), the seed's \
            simulate_low_light (seed: gamma 0.4, scale 0.3, NumPy's Poisson draws) or not at all (none).

            Writes OUT/image/ (the darkened composites, the model's input), OUT/normal/ (the \
            composites before darkening), OUT/alpha/, OUT/trimap/ (the soft band and hard edges of the \
            alpha dilated by --trimap-radius pixels: 0 background, 128 unknown, 255 foreground) and \
            OUT/parameters.json (every draw). The photos are split by a hash of their names, \
            --test-fraction of them for --split test, the rest for train, so a test set never shares \
            a photo with a training set made from the same folder. Sample N depends only on --seed, N \
            and the split's photos, so a run is reproduced byte for byte.
            """)

    @Option(help: "Folder of photos for the foreground textures and the backgrounds.")
    var photos: String

    @Option(name: .customLong("out"), help: "Folder for image/, normal/, alpha/, trimap/ and parameters.json.")
    var output: String

    @Option(help: "Samples to make (at most 100000).")
    var count: Int = 100

    @Option(help: "Width and height of each sample in pixels (32...2048).")
    var size: Int = 320

    @Option(help: "Seed of every random draw.")
    var seed: UInt64 = 0

    @Option(help: "Which photos to draw from: train or test (the held-out split).")
    var split: PhotoSplit = .train

    @Option(help: "Fraction of the photos held out for --split test.")
    var testFraction: Double = 0.1

    @Option(help: "How the composites are darkened: lumen, seed or none.")
    var degradation: MattingDegradation = .lumen

    @OptionGroup var exposure: ExposureRangeOptions

    @Option(help: "Radius of the trimap's unknown band around soft pixels and hard edges, in pixels.")
    var trimapRadius: Int = 8

    @OptionGroup var runtime: RuntimeOptions

    static let maximumCount = 100_000

    func validate() throws {
        guard (1...Self.maximumCount).contains(count) else {
            throw ValidationError("--count must be in 1...\(Self.maximumCount), got \(count)")
        }
        guard (32...2048).contains(size) else { throw ValidationError("--size must be in 32...2048, got \(size)") }
        guard testFraction > 0 && testFraction < 1 else {
            throw ValidationError("--test-fraction must be between 0 and 1, got \(testFraction)")
        }
        guard (0...256).contains(trimapRadius) else {
            throw ValidationError("--trimap-radius must be in 0...256, got \(trimapRadius)")
        }
    }

    func run() throws {
        runtime.apply()
        let photos = try splitPhotos()
        let root = URL(fileURLWithPath: output)
        let folders = ["image", "normal", "alpha", "trimap"].map { root.appendingPathComponent($0) }
        for folder in folders { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let progress = ProgressBar(total: count, unit: "samples")
        let start = Date()
        var samples: [MattingSample] = []
        for index in 0..<count {
            let name = String(format: "%05d.png", index)
            let sample = try synthesize(name: name, index: index, photos: photos)
            let urls = folders.map { $0.appendingPathComponent(name) }
            try sample.image.write(to: urls[0])
            try sample.normal.write(to: urls[1])
            try sample.alpha.image.write(to: urls[2])
            try Trimap(groundTruth: sample.alpha, unknownRadius: trimapRadius).image.write(to: urls[3])
            samples.append(sample.record)
            progress.update(done: index + 1, detail: name)
        }
        let manifest = MattingManifest(seed: seed, split: split, testFraction: testFraction, size: size,
                                       degradation: degradation.rawValue,
                                       lumenDegradation: degradation == .lumen ? exposure.degradation : nil,
                                       trimapRadius: trimapRadius, samples: samples)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(manifest), to: root.appendingPathComponent("parameters.json"))
        let elapsed = Date().timeIntervalSince(start)
        print("made \(count) matting samples from \(photos.count) \(split.rawValue) photos in "
              + String(format: "%.2f s (%.2f samples/s)", elapsed, Double(count) / max(elapsed, 1e-9)))
    }

    /// The photos of the chosen split, sorted by name; at least two.
    private func splitPhotos() throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: photos, isDirectory: &isDirectory) else {
            throw LumenCLIError.missingInput(photos)
        }
        guard isDirectory.boolValue else { throw ValidationError("--photos must be a folder, got the file \(photos)") }
        let names = try FileManager.default.contentsOfDirectory(atPath: photos).sorted().filter(EnhancePlan.isImageFile)
        guard !names.isEmpty else { throw LumenCLIError.noImages(photos) }
        let chosen = names.filter { PhotoSplit.of(name: $0, testFraction: testFraction) == split }
        guard chosen.count >= 2 else {
            throw ValidationError("the \(split.rawValue) split of \(photos) has \(chosen.count) of its \(names.count) photos; "
                                  + "a sample needs two (a foreground and a background): add photos or change --test-fraction")
        }
        return chosen.map { URL(fileURLWithPath: photos).appendingPathComponent($0) }
    }

    private struct Sample {
        let image: Image
        let normal: Image
        let alpha: Matte
        let record: MattingSample
    }

    private func synthesize(name: String, index: Int, photos: [URL]) throws -> Sample {
        var seeds = SplitMix64(seed: seed)
        let sampleSeed = seeds.next() &+ UInt64(index)
        var generator = SplitMix64(seed: sampleSeed)
        let foregroundIndex = Int.random(in: 0..<photos.count, using: &generator)
        var backgroundIndex = Int.random(in: 0..<(photos.count - 1), using: &generator)
        if backgroundIndex >= foregroundIndex { backgroundIndex += 1 }
        let (foreground, foregroundCrop) = try crop(photos[foregroundIndex], using: &generator)
        let (background, backgroundCrop) = try crop(photos[backgroundIndex], using: &generator)
        let matte = SyntheticMatte.sample(using: &generator)
        let alpha = matte.rendered(width: size, height: size)
        let composite = alpha.composited(foreground: foreground.tensor(), background: background.tensor())
        let normal = Image(tensor: composite)
        var degradationParameters: DegradationParameters?
        var numpySeed: UInt32?
        let image: Image
        switch degradation {
        case .lumen:
            let lumen = exposure.degradation
            let parameters = lumen.sample(using: &generator)
            degradationParameters = parameters
            image = Image(tensor: lumen.applied(to: normal.tensor(), parameters: parameters))
        case .seed:
            let drawn = UInt32(truncatingIfNeeded: generator.next())
            numpySeed = drawn
            var random = NumPyRandomState(seed: drawn)
            image = SeedLowLight().applied(to: normal, random: &random)
        case .none:
            image = normal
        }
        let record = MattingSample(name: name, seed: sampleSeed,
                                   foreground: photos[foregroundIndex].lastPathComponent, foregroundCrop: foregroundCrop,
                                   background: photos[backgroundIndex].lastPathComponent, backgroundCrop: backgroundCrop,
                                   matte: matte, degradation: degradationParameters, numpySeed: numpySeed)
        return Sample(image: image, normal: normal, alpha: alpha, record: record)
    }

    /// A random square of the photo, at least --size on a side when the photo allows,
    /// flipped half the time, resized to --size with MATLAB's antialiased bicubic.
    private func crop(_ url: URL, using generator: inout SplitMix64) throws -> (Image, CropRecord) {
        let photo: Image
        do { photo = try Image(contentsOf: url).rgb().converted(toBitDepth: 8) } catch {
            throw LumenCLIError.cannotProcess(file: url.path, reason: describe(error))
        }
        let shorter = min(photo.width, photo.height)
        let side = Int.random(in: min(size, shorter)...shorter, using: &generator)
        let left = Int.random(in: 0...(photo.width - side), using: &generator)
        let top = Int.random(in: 0...(photo.height - side), using: &generator)
        let flip = Bool.random(using: &generator)
        var samples = [UInt16]()
        samples.reserveCapacity(side * side * 3)
        for y in top..<(top + side) {
            for column in 0..<side {
                let x = flip ? left + side - 1 - column : left + column
                let pixel = (y * photo.width + x) * 3
                samples += photo.samples[pixel..<(pixel + 3)]
            }
        }
        let square = Image(width: side, height: side, channels: 3, bitDepth: 8, samples: samples)
        let resized = side == size ? square : square.resizedLikeMATLAB(width: size, height: size)
        return (resized, CropRecord(left: left, top: top, side: side, flipped: flip))
    }
}

/// The train or test half of a photo folder.
enum PhotoSplit: String, ExpressibleByArgument, Codable {
    case train, test

    /// The split of a photo: by a 64-bit FNV-1a hash of its file name, mixed, so the split
    /// does not change when photos are added or removed and needs no list.
    static func of(name: String, testFraction: Double) -> PhotoSplit {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01B3
        }
        // FNV-1a of similar short names ("1.jpg", "10.jpg") is not uniform in its low
        // digits; SplitMix64's output mixing makes it so.
        var mixer = SplitMix64(seed: hash)
        return Double(mixer.next() >> 11) / 9_007_199_254_740_992 < testFraction ? .test : .train
    }
}

/// How `synth-matting` darkens its composites.
enum MattingDegradation: String, ExpressibleByArgument, CaseIterable {
    case lumen, seed, none
}

private struct CropRecord: Encodable {
    let left: Int, top: Int, side: Int
    let flipped: Bool
}

/// One sample of `parameters.json`.
private struct MattingSample: Encodable {
    let name: String
    /// The ``SplitMix64`` seed every draw of this sample came from.
    let seed: UInt64
    let foreground: String
    let foregroundCrop: CropRecord
    let background: String
    let backgroundCrop: CropRecord
    let matte: SyntheticMatte
    /// Lumen's degradation, when it was used.
    let degradation: DegradationParameters?
    /// The `np.random.seed` of the seed's degradation, when it was used.
    let numpySeed: UInt32?
}

private struct MattingManifest: Encodable {
    let seed: UInt64
    let split: PhotoSplit
    let testFraction: Double
    let size: Int
    let degradation: String
    let lumenDegradation: Degradation?
    let trimapRadius: Int
    let samples: [MattingSample]
}
