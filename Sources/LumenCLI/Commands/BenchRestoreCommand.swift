import ArgumentParser
import Foundation
import Lumen
import LumenTensor

/// `lumen bench restore`: milliseconds per image and peak memory of a restoration
/// model, on a random tensor in the model's channels (no decoding, colour
/// conversion or encoding), as PyTorch and ONNX Runtime are timed beside it
/// (`scripts/bench/restoration.py`).
struct BenchRestore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Time a restoration model (ESPCN, DnCNN, the auto-encoder) on a random image.",
        discussion: """
            --size is the model's input: for ESPCN ×3 producing 1920x1080, give 640x360. Without --weights \
            the model is Lumen's architecture with random weights (espcn: Y only; dncnn: 10 x 32); give \
            --weights for another, e.g. KAIR's 17 x 64 dncnn_25.pth or OpenCV's ESPCN_x3.pb.
            """)

    @Option(help: "The model: espcn, dncnn or denoise-ae.")
    var model: RestorationModelKind

    @Option(help: "ESPCN's scale when no --weights are given (default: 3).")
    var scale: Int = 3

    @Option(help: "Weights whose architecture to time (any file `lumen upscale` or `lumen denoise` takes).")
    var weights: String?

    @OptionGroup var runtime: RuntimeOptions

    @Option(help: "Input size, WIDTHxHEIGHT, at most 2^28 pixels.")
    var size: BenchImageSize

    @Option(help: "Input tile side in pixels, or 0 for the whole image (default: 512 above 4 megapixels of output, else 0).")
    var tileSize: Int?

    @OptionGroup var runs: BenchRunOptions

    func validate() throws {
        guard (1...8).contains(scale) else { throw ValidationError("--scale must be in 1...8, got \(scale)") }
        if let tileSize, tileSize != 0 && tileSize < 16 { throw ValidationError("--tile-size must be 0 or at least 16, got \(tileSize)") }
        try size.requireMemory(bytesPerPixel: Double(12 + 12 * scale * scale), for: "its input and output tensors alone")
    }

    func run() throws {
        runtime.apply()
        let kind = model
        let restorer = try weights.map { try kind.load(weights: URL(fileURLWithPath: $0)) } ?? kind.makeModel(scale: scale)
        let channels = restorer.colorModel.channels, factor = restorer.scaleFactor
        let outputPixels = size.width * size.height * factor * factor
        let tile = tileSize ?? (outputPixels > BenchModel.tilingThreshold ? 512 : 0)
        var generator = SplitMix64(seed: 1)
        let image = Tensor(shape: [1, channels, size.height, size.width]) { buffer in
            for i in buffer.indices { buffer[i] = Float.random(in: 0...1, using: &generator) }
        }
        let times = runs.timedRuns { _ = restorer.restoredInTiles(image, tileSize: tile) }
        let median = median(ofSorted: times)
        let peak = peakResidentMiB()
        let output = "\(size.width * factor)x\(size.height * factor)"
        if runs.json {
            print(try jsonLine([
                "kind": "restore", "engine": "lumen", "model": kind.rawValue, "scale": factor, "channels": channels,
                "size": "\(size.width)x\(size.height)", "output": output, "threads": Runtime.threadCount,
                "isa": InstructionSet.active.rawValue, "tile_size": tile, "weights": weights ?? "random",
                "median_ms": rounded(median, digits: 3), "min_ms": rounded(times.first!, digits: 3),
                "max_ms": rounded(times.last!, digits: 3), "n": times.count, "peak_rss_mb": rounded(peak, digits: 1),
            ]))
        } else {
            print("\(kind) \(size.width)x\(size.height) → \(output), \(channels) channel(s), \(Runtime.threadCount) thread(s), "
                  + (tile == 0 ? "whole image" : "tiles of \(tile)") + ", weights: \(weights ?? "random")")
            print(String(format: "%.1f ms per image (median of %d; min %.1f, max %.1f), peak memory %.0f MiB",
                         median, times.count, times.first!, times.last!, peak))
        }
    }
}
