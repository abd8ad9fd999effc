import ArgumentParser
import Foundation
import Lumen
import LumenDeploy
import LumenTensor

/// `lumen bench model`: milliseconds per image and peak memory of one model at one
/// image size.
///
/// Times the tensor-to-tensor pipeline (`enhanced(_:)`, or `enhancedInTiles` when
/// tiling) on a uniformly random image, without decoding or encoding. Run one
/// configuration per process: the peak resident memory (`getrusage`'s `ru_maxrss`)
/// covers the whole process life.
struct BenchModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Time whole-model inference on a random image and report the peak memory.",
        discussion: """
            Without --weights the model has random weights (same speed as trained ones: the \
            convolution kernels flush subnormal numbers). Zero-DCE++ runs on the largest multiple \
            of --scale, as the official test script crops. --weights model.onnx times the ONNX \
            graph in Lumen's engine (whole image, no tiles), to compare with the native model \
            and with ONNX Runtime on the same file.
            """)

    /// Images above this many pixels are tiled when `--tile-size` is not given.
    static let tilingThreshold = 4_000_000

    @OptionGroup var model: ModelOptions
    @OptionGroup var runtime: RuntimeOptions

    @Option(help: "Image size, WIDTHxHEIGHT, at most 2^28 pixels.")
    var size: BenchImageSize

    @Option(help: "Tile side in pixels, or 0 for the whole image (default: 512 above 4 megapixels, else 0).")
    var tileSize: Int?

    @OptionGroup var runs: BenchRunOptions

    func validate() throws {
        if model.weightsAreONNX, model.chosenModel != nil || model.chosenScale != nil || (tileSize ?? 0) != 0 {
            throw ValidationError("an ONNX file is a whole model run on the whole image: drop --model, --scale and --tile-size")
        }
        if let tileSize, tileSize != 0 && tileSize < 16 {
            throw ValidationError("--tile-size must be 0 or at least 16, got \(tileSize)")
        }
        if model.model == .zeroDCEPlusPlus, let problem = model.model.makeModel(scale: model.scale)
            .sizeProblem(height: size.height, width: size.width) {
            throw ValidationError(problem)
        }
        // The input and output tensors alone take 24 bytes a pixel; tiles bound the rest.
        try size.requireMemory(bytesPerPixel: 24, for: "its input and output tensors alone")
    }

    func run() throws {
        runtime.apply()
        let graph = try model.weights.flatMap { model.weightsAreONNX ? try ONNXModel(contentsOf: URL(fileURLWithPath: $0)) : nil }
        let multiple = graph == nil && model.model == .zeroDCEPlusPlus ? model.scale : 1
        let height = size.height / multiple * multiple, width = size.width / multiple * multiple
        let tile = graph != nil ? 0 : tileSize ?? (height * width > Self.tilingThreshold ? 512 : 0)
        var generator = SplitMix64(seed: 1)
        // Filled here rather than by `Tensor.uniform`, whose generic generator is not
        // specialised across modules: 72 M draws at 6000x4000 took half a minute.
        let image = Tensor(shape: [1, 3, height, width]) { buffer in
            for i in buffer.indices { buffer[i] = Float.random(in: 0...1, using: &generator) }
        }
        let infer: () throws -> Tensor
        var quantized: (any QuantizedEnhancer)?
        if let graph {
            infer = { try graph.run(image) }
        } else {
            let enhancer = model.weights == nil ? model.model.makeModel(scale: model.scale) : try model.load()
            quantized = enhancer as? any QuantizedEnhancer
            infer = { tile == 0 ? enhancer.enhanced(image) : enhancer.enhancedInTiles(image, tileSize: tile) { _, _ in } }
        }
        let times = try runs.timedRuns { _ = try withoutGradients(infer) }
        let median = median(ofSorted: times)
        let peak = peakResidentMiB()
        let weights = model.weights ?? "random"
        let name = graph.map { "\($0.file) (ONNX)" } ?? quantized.map { "int8 \($0.file.model)" } ?? model.model.rawValue
        let engine = graph != nil ? "lumen-onnx" : quantized != nil ? "lumen-int8" : "lumen"
        if runs.json {
            print(try jsonLine([
                "kind": "infer", "engine": engine, "model": name, "scale": multiple,
                "size": "\(size.width)x\(size.height)", "eff_hw": [height, width], "threads": Runtime.threadCount,
                "isa": InstructionSet.active.rawValue, "int8_isa": Int8InstructionSet.active.rawValue, "tile_size": tile, "weights": weights,
                "median_ms": rounded(median, digits: 3), "min_ms": rounded(times.first!, digits: 3),
                "max_ms": rounded(times.last!, digits: 3), "n": times.count,
                "runs_ms": times.map { rounded($0, digits: 3) }, "peak_rss_mb": rounded(peak, digits: 1),
            ]))
        } else {
            print("\(name) \(width)x\(height), \(Runtime.threadCount) thread(s), "
                  + (tile == 0 ? "whole image" : "tiles of \(tile)") + ", weights: \(weights)")
            print(String(format: "%.1f ms per image (median of %d; min %.1f, max %.1f), peak memory %.0f MiB",
                         median, times.count, times.first!, times.last!, peak))
        }
    }
}

/// An image size written `WIDTHxHEIGHT`, such as `1200x900`.
struct BenchImageSize: ExpressibleByArgument {
    let width: Int, height: Int

    /// The largest synthetic image: what a decoder accepts from a file (2^28 pixels).
    static let maximumPixels = 1 << 28

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0,
              case let (pixels, overflow) = width.multipliedReportingOverflow(by: height), !overflow,
              pixels <= Self.maximumPixels else {
            return nil
        }
        (self.width, self.height) = (width, height)
    }

    static var defaultValueDescription: String { "WIDTHxHEIGHT, at most \(maximumPixels) pixels" }

    /// Refuses a size whose `bytesPerPixel` would take more than the ``MemoryBudget``.
    func requireMemory(bytesPerPixel: Double, for what: String) throws {
        let needed = Double(width * height) * bytesPerPixel
        guard needed >= MemoryBudget.usableBytes else { return }
        throw ValidationError(String(format: "--size %dx%d needs at least %.1f GiB for %@", width, height,
                                     MemoryBudget.gibibytes(needed), what))
    }
}

/// The process's peak resident memory so far, in MiB.
func peakResidentMiB() -> Double {
    var usage = rusage()
    #if canImport(Darwin)
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1_048_576  // bytes on Apple platforms
    #else
    getrusage(RUSAGE_SELF.rawValue, &usage)  // Glibc imports the `who` constants as an enum
    return Double(usage.ru_maxrss) / 1024  // KiB on Linux
    #endif
}
