import ArgumentParser
import Foundation
import Lumen
import LumenIO
import LumenTensor

/// `lumen bench parametric`: milliseconds per image of the parametric enhancer's
/// fast path, stage by stage: predicting the curve (thumbnail and network), building
/// the look-up table, mapping the samples, and the whole `enhance(_:)`.
///
/// The model has random weights (the same speed as trained ones). The image is a
/// seeded uniform-noise image, or a photo with `--image`; decoding is not timed.
/// `scripts/bench/parametric.py` times the same pipeline in PyTorch.
struct BenchParametric: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parametric",
        abstract: "Time the parametric enhancer's look-up-table path on one image.")

    @Option(help: "Size of the synthetic image, WIDTHxHEIGHT (default: 1920x1080).")
    var size: BenchImageSize?

    @Option(help: "Bits per sample of the synthetic image, 8 or 16 (default: 8).")
    var bitDepth: Int?

    @Option(help: "A photo to time instead of the synthetic image, at its own size and bit depth.")
    var image: String?

    @OptionGroup var runs: BenchRunOptions

    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        // The image, its float copy and the output: 6 + 12 + 6 bytes a pixel.
        try size?.requireMemory(bytesPerPixel: 24, for: "the image, its tensor and the output")
        if image != nil && (size != nil || bitDepth != nil) {
            throw ValidationError("--size and --bit-depth describe the synthetic image; leave them out with --image")
        }
        if let bitDepth, bitDepth != 8 && bitDepth != 16 {
            throw ValidationError("--bit-depth must be 8 or 16, got \(bitDepth)")
        }
    }

    func run() throws {
        runtime.apply()
        let input = try image.map { try Image(contentsOf: URL(fileURLWithPath: $0)).rgb() }
            ?? Self.noise(width: size?.width ?? 1920, height: size?.height ?? 1080, bitDepth: bitDepth ?? 8)
        var generator = SplitMix64(seed: 0)
        let model = ParametricEnhancer(using: &generator)
        let curve = model.toneCurve(for: input)
        let table = curve.lookupTable(bitDepth: input.bitDepth)
        let stages: [(name: String, body: () -> Void)] = [
            ("predict", { _ = model.toneCurve(for: input) }),
            ("lut", { _ = curve.lookupTable(bitDepth: input.bitDepth) }),
            ("apply", { _ = table.applied(to: input) }),
            ("enhance", { _ = model.enhance(input) }),
        ]
        let size = "\(input.width)x\(input.height)"
        for stage in stages {
            let times = runs.timedRuns(stage.body)
            let median = median(ofSorted: times)
            if runs.json {
                print(try jsonLine(["kind": "parametric", "engine": "lumen", "op": stage.name, "size": size,
                                    "bit_depth": input.bitDepth, "threads": Runtime.threadCount,
                                    "median_ms": rounded(median, digits: 3),
                                    "min_ms": rounded(times.first!, digits: 3), "n": times.count]))
            } else {
                print("\(stage.name) \(size) \(input.bitDepth)-bit, \(Runtime.threadCount) thread(s): "
                      + String(format: "%.3f ms (median of %d)", median, times.count))
            }
        }
    }

    /// An RGB image of uniformly random samples, the same for every run.
    static func noise(width: Int, height: Int, bitDepth: Int) -> Image {
        var generator = SplitMix64(seed: 1)
        let count = width * height * 3, mask = UInt64((1 << bitDepth) - 1)
        // Several samples from each 64-bit draw: one draw per sample took seconds at 24 MP.
        let samples = [UInt16](unsafeUninitializedCapacity: count) { samples, initialized in
            var bits: UInt64 = 0
            for index in 0..<count {
                if index % (64 / bitDepth) == 0 { bits = generator.next() }
                samples[index] = UInt16(bits & mask)
                bits >>= UInt64(bitDepth)
            }
            initialized = count
        }
        return Image(width: width, height: height, channels: 3, bitDepth: bitDepth, samples: samples)
    }
}
