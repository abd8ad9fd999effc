import ArgumentParser
import Foundation
import LumenTensor

/// `lumen bench conv`: GFLOP/s of the 3x3, padding-1 convolutions of Zero-DCE,
/// forward and backward (input and weight gradients), over 600x400 and 1200x900
/// photos. The JSON lines have the fields of `scripts/bench_conv_torch.py`, so the
/// two can be joined on (inC, outC, h, w, threads).
struct BenchConv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conv",
        abstract: "GFLOP/s of 3x3 convolution forward and backward at Zero-DCE's layer shapes.")

    /// (input, output) channels of Zero-DCE's and SCI's layers.
    static let channels = [(3, 32), (32, 32), (64, 32), (64, 24), (32, 3), (3, 3)]
    /// (height, width): 600x400 and 1200x900 photos.
    static let sizes = [(400, 600), (900, 1200)]

    @OptionGroup var runtime: RuntimeOptions

    @Option(help: "Timed runs per shape; the median is reported.")
    var repeats: Int = 5

    @Flag(help: "Print one JSON line per shape instead of a table.")
    var json = false

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }

    func run() throws {
        runtime.apply()
        let threads = Runtime.threadCount, isa = InstructionSet.active.rawValue
        if !json {
            print("conv 3x3 pad 1, \(threads) thread(s), \(isa); GFLOP/s (median of \(repeats))")
            print("  H x W      inC->outC   forward  backward")
        }
        for (height, width) in Self.sizes {
            for (inputChannels, outputChannels) in Self.channels {
                var benchmark = ConvolutionBenchmark(inputChannels: inputChannels, outputChannels: outputChannels,
                                                     height: height, width: width)
                benchmark.repeats = repeats
                let result = benchmark.run()
                if json {
                    print(try jsonLine([
                        "engine": "lumen", "isa": isa, "inC": inputChannels, "outC": outputChannels,
                        "h": height, "w": width, "threads": threads,
                        "forward_gflops": rounded(result.forwardGFLOPS, digits: 1),
                        "backward_gflops": rounded(result.backwardGFLOPS, digits: 1),
                    ]))
                } else {
                    print(String(format: "  %4dx%-5d  %3d->%-3d    %7.1f  %8.1f", height, width, inputChannels,
                                 outputChannels, result.forwardGFLOPS, result.backwardGFLOPS))
                }
            }
        }
    }
}

/// One JSON object on one line, keys sorted, for the `--json` output of `lumen bench`.
func jsonLine(_ record: [String: Any]) throws -> String {
    let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
}

/// `value` rounded to `digits` decimals, so that JSON lines stay short.
func rounded(_ value: Double, digits: Int) -> Double {
    let factor = Foundation.pow(10, Double(digits))
    return (value * factor).rounded() / factor
}
