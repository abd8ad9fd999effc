import ArgumentParser
import Foundation
import LumenImaging
import LumenIO
import LumenTensor

/// `lumen synth`: synthetic low-light training pairs from normally exposed photos.
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make low-light/normal training pairs from normally exposed photos.",
        discussion: """
            Each image in --in (not recursively) is darkened --count-per-image times by a \
            random degradation: gamma, exposure in EV, soft shadows, colour cast, Gaussian or motion \
            blur, Poisson-Gaussian sensor noise and JPEG re-compression. The results go to \
            OUT/low/NAME.png, the original (as PNG) to OUT/high/NAME.png, and every sample's seed and \
            parameters to OUT/parameters.json; with several samples per image NAME is STEM-1, STEM-2, .... \
            The draws for an image depend only on --seed and its position in the sorted folder, so a \
            run is reproduced byte for byte. A file that cannot be read is reported and skipped; the \
            exit status is then non-zero. Files are written atomically.
            """)

    @Option(name: .customLong("in"), help: "Folder of normally exposed photos.")
    var input: String

    @Option(name: .customLong("out"), help: "Folder for low/, high/ and parameters.json (created if needed).")
    var output: String

    @Option(help: "Seed of every random draw.")
    var seed: UInt64 = 0

    @OptionGroup var exposure: ExposureRangeOptions

    @Option(help: "Low-light samples made from each photo (at most 1000).")
    var countPerImage: Int = 1

    /// A thousand darkened versions of one photo is already far more than training
    /// can use; the bound keeps a typo from filling the disk.
    static let maximumCountPerImage = 1000

    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        guard (1...Self.maximumCountPerImage).contains(countPerImage) else {
            throw ValidationError("--count-per-image must be in 1...\(Self.maximumCountPerImage), got \(countPerImage)")
        }
    }

    func run() throws {
        runtime.apply()
        let files = try inputFiles()
        let root = URL(fileURLWithPath: output)
        let (lowFolder, highFolder) = (root.appendingPathComponent("low"), root.appendingPathComponent("high"))
        for folder in [lowFolder, highFolder] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let degradation = exposure.degradation
        let progress = ProgressBar(total: files.count, unit: "images")
        let start = Date()
        var samples: [SynthSample] = []
        var failures = 0
        for (index, file) in files.enumerated() {
            do {
                samples += try synthesize(file, index: index, with: degradation, low: lowFolder, high: highFolder)
            } catch {
                failures += 1
                printError(describe(error))
            }
            progress.update(done: index + 1, detail: file.lastPathComponent)
        }
        let manifest = SynthManifest(seed: seed, degradation: degradation, samples: samples)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(manifest), to: root.appendingPathComponent("parameters.json"))
        let elapsed = Date().timeIntervalSince(start)
        print("made \(samples.count) pairs from \(files.count - failures) of \(files.count) images in "
              + String(format: "%.2f s (%.2f images/s)", elapsed, Double(files.count) / max(elapsed, 1e-9)))
        if failures > 0 { throw LumenCLIError.someInputsFailed(failed: failures, total: files.count) }
    }

    /// The folder's image files, sorted by name: their positions seed the draws.
    private func inputFiles() throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
            throw LumenCLIError.missingInput(input)
        }
        guard isDirectory.boolValue else { throw ValidationError("--in must be a folder, got the file \(input)") }
        let files = try FileManager.default.contentsOfDirectory(atPath: input).sorted()
            .filter(EnhancePlan.isImageFile)
            .map { URL(fileURLWithPath: input).appendingPathComponent($0) }
        guard !files.isEmpty else { throw LumenCLIError.noImages(input) }
        var stems: [String: String] = [:]
        for file in files {
            let stem = file.deletingPathExtension().lastPathComponent
            if let other = stems.updateValue(file.lastPathComponent, forKey: stem) {
                throw ValidationError("\(other) and \(file.lastPathComponent) would both be saved as \(stem).png; rename one")
            }
        }
        return files
    }

    /// Degrades one photo `countPerImage` times and writes the pairs.
    private func synthesize(_ file: URL, index: Int, with degradation: Degradation,
                            low: URL, high: URL) throws -> [SynthSample] {
        let image = try Image(contentsOf: file).rgb()
        let tensor = image.tensor()
        let stem = file.deletingPathExtension().lastPathComponent
        var imageSeeds = SplitMix64(seed: Self.mixed(seed, UInt64(index)))
        return try (1...countPerImage).map { sample in
            let sampleSeed = imageSeeds.next()
            var generator = SplitMix64(seed: sampleSeed)
            let parameters = degradation.sample(using: &generator)
            let name = (countPerImage == 1 ? stem : "\(stem)-\(sample)") + ".png"
            try Image(tensor: degradation.applied(to: tensor, parameters: parameters))
                .write(to: low.appendingPathComponent(name))
            try image.write(to: high.appendingPathComponent(name))
            return SynthSample(name: name, source: file.lastPathComponent, seed: sampleSeed, parameters: parameters)
        }
    }

    /// A generator seed for item `index` of a run seeded with `seed`: hashing the seed
    /// first keeps runs with neighbouring seeds from sharing items.
    private static func mixed(_ seed: UInt64, _ index: UInt64) -> UInt64 {
        var seeds = SplitMix64(seed: seed)
        return seeds.next() &+ index
    }
}

/// `parameters.json`: how every pair of a `lumen synth` run was made.
private struct SynthManifest: Encodable {
    let seed: UInt64
    let degradation: Degradation
    let samples: [SynthSample]
}

/// One low-light sample: `Degradation.applied(to:parameters:)` on `source` gives `low/NAME`
/// again; `seed` is the state of the ``SplitMix64`` that drew the parameters.
private struct SynthSample: Encodable {
    let name: String
    let source: String
    let seed: UInt64
    let parameters: DegradationParameters
}
