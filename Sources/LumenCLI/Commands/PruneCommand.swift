import ArgumentParser
import Foundation
import Lumen
import LumenDeploy

/// `lumen prune`: a smaller dense Zero-DCE without its dead or weakest filters.
struct Prune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove filters from a model: a smaller dense model with fewer channels, not a mask.",
        discussion: """
            Dead filters (every weight below --threshold in magnitude, bias not positive: their \
            ReLU gives zero) are always removed, with the input channels that read them; the \
            official Zero-DCE checkpoint has 4 to 9 of 32 in each layer, and removing them leaves \
            its output unchanged. --sparsity S then also removes the fraction S of each layer's \
            remaining filters with the smallest L1 norm, which changes the output: fine-tune it with \
            `lumen train zero-dce --init pruned.safetensors --data photos/`, which trains at the \
            pruned widths with Zero-DCE's own losses. The result loads in `lumen enhance --model \
            zero-dce --weights` like any weights. Models: zero-dce.
            """)

    @Argument(help: "The model: zero-dce.")
    var model: ModelKind

    @Option(help: "The weights to prune (Lumen safetensors or the official checkpoint).")
    var weights: String

    @Option(name: .shortAndLong, help: "The pruned weights to write (safetensors).")
    var output: String

    @Option(help: "Filters whose weights are all below this magnitude (and whose bias is not positive) are dead.")
    var threshold: Float = 1e-10

    @Option(help: "The fraction of each layer's live filters to remove by smallest L1 norm, in [0, 1).")
    var sparsity: Double = 0

    func validate() throws {
        guard model == .zeroDCE else { throw ValidationError("lumen prune takes zero-dce so far, not \(model)") }
        guard (0..<1).contains(sparsity) else { throw ValidationError("--sparsity must be in [0, 1), got \(sparsity)") }
        guard threshold >= 0, threshold.isFinite else { throw ValidationError("--threshold must be a finite magnitude, got \(threshold)") }
    }

    func run() throws {
        let source = URL(fileURLWithPath: weights), destination = URL(fileURLWithPath: output)
        try refuseReplacingInput(output: destination, inputs: [source])
        // ModelKind builds a ZeroDCE for zero-dce, the one model validate() lets through.
        let original = try model.load(weights: source) as! ZeroDCE
        let dead = original.deadFilters(threshold: threshold)
        var pruned = original.pruned(removing: dead)
        if sparsity > 0 { pruned = pruned.pruned(removing: pruned.weakestFilters(sparsity: sparsity)) }
        let before = original.widths, after = pruned.widths
        for layer in 0..<6 {
            print("conv\(layer + 1): \(before[layer]) -> \(after[layer]) filters (\(dead[layer].count) dead)")
        }
        func parameters(_ network: ZeroDCE) -> Int { network.parameters().reduce(0) { $0 + $1.tensor.scalarCount } }
        // Every convolution is 3x3 at full resolution: two flops per weight per pixel.
        func gigaflopsPerMegapixel(_ network: ZeroDCE) -> Double {
            2e-3 * Double(network.parameters().filter { $0.key.hasSuffix("weight") }.reduce(0) { $0 + $1.tensor.scalarCount })
        }
        let (was, now) = (parameters(original), parameters(pruned))
        try pruned.saveWeights(to: destination, kind: model, metadata: [
            "lumen.pruned-from": source.lastPathComponent, "lumen.pruning.threshold": String(threshold),
            "lumen.pruning.sparsity": String(sparsity),
        ])
        print(String(format: "%@ -> %@: %d -> %d parameters (%.1f %%), %.1f -> %.1f GFLOP per megapixel",
                     source.lastPathComponent, output, was, now, 100 * Double(now) / Double(was),
                     gigaflopsPerMegapixel(original), gigaflopsPerMegapixel(pruned)))
    }
}
