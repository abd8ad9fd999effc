import ArgumentParser
import Lumen

/// The `lumen` command-line tool.
@main
struct LumenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lumen",
        abstract: "Deep-learning image enhancement: brighten low-light photos, train and evaluate models.",
        version: lumenVersion,
        subcommands: [Enhance.self, Upscale.self, Denoise.self, Eval.self, Metrics.self, Train.self, Models.self, Convert.self, Export.self, Prune.self, Quantize.self, Distill.self, Darken.self, Synth.self, SynthMatting.self, MatteCommand.self, Bench.self]
    )

    static func main() { mainDescribingErrors() }
}
