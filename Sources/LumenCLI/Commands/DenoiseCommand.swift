import ArgumentParser
import Foundation
import Lumen

/// `lumen denoise`: removes Gaussian-like noise from photos or folders.
struct Denoise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove noise from photos with a denoising model (DnCNN or the denoising auto-encoder).",
        discussion: """
            Inputs, -o, formats and errors work as in `lumen enhance`; without -o each result is written \
            beside its input as NAME-denoised.EXT. The bundled weights are Lumen's DnCNN (10 convolutions of \
            32 features, trained on gray photos) and the seed's auto-encoder (--model denoise-ae, colour), both \
            for noise of σ = 25 in 8-bit levels; a gray DnCNN runs on colour photos channel by channel. --weights takes Lumen .safetensors or KAIR's dncnn_*.pth (any depth and width), or with \
            --model denoise-ae the auto-encoder's weights. Alpha is carried over unchanged.
            """)

    @Argument(help: "Images or folders to denoise.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output file (one input) or folder.")
    var output: String?

    @Option(help: "The model: dncnn or denoise-ae.")
    var model: RestorationModelKind = .dncnn

    @Option(help: "The noise level the bundled weights were trained for, in 8-bit levels (25 ships).")
    var sigma: Int?

    @Option(help: "Weights: Lumen .safetensors or an official checkpoint such as KAIR's dncnn_25.pth (default: Lumen's bundled weights).")
    var weights: String?

    @OptionGroup var writing: ImageOutputOptions

    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one image or folder") }
        try model.require(.denoising)
        if sigma != nil && weights != nil {
            throw ValidationError("--sigma chooses among the bundled weights; weights given with --weights have their own noise level")
        }
        try writing.validate(output: output)
    }

    func run() throws {
        runtime.apply()
        let restorer = try weights.map { try model.load(weights: URL(fileURLWithPath: $0)) } ?? model.pretrained(sigma ?? 25)
        let plan = try EnhancePlan(inputs: inputs, output: output, format: writing.format, suffix: "denoised")
        try RestorationRun(plan: plan, restorer: restorer, writing: writing, verb: "denoised", how: "with \(model)").run()
    }
}
