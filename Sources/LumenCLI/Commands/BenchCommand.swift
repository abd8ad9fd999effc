import ArgumentParser

/// `lumen bench`: measures the engine on this machine — convolution throughput and
/// whole-model inference time and peak memory. `scripts/bench.sh` runs it beside
/// PyTorch and ONNX Runtime and prints the ratios.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure convolution, inference, restoration, training, classical methods, metrics and the parametric enhancer.",
        subcommands: [BenchConv.self, BenchModel.self, BenchTrain.self, BenchClassic.self, BenchMetrics.self,
                      BenchParametric.self, BenchRestore.self])
}
