import ArgumentParser
import Foundation
import Lumen

/// `lumen upscale`: super-resolution of photos or folders with ESPCN.
struct Upscale: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enlarge photos 2, 3 or 4 times with a super-resolution model (ESPCN).",
        discussion: """
            Inputs, -o, formats and errors work as in `lumen enhance`; without -o each result is written \
            beside its input as NAME-upscaled.EXT. The bundled weights are Lumen's Y-only ESPCN at ×2, ×3 and \
            ×4, run as OpenCV's dnn_superres runs its ESPCN: the network enlarges the 8-bit luma and the \
            chroma is enlarged bilinearly. --weights also takes Nhat-Thanh's ESPCN-x*.pt (YCbCr) and OpenCV's \
            ESPCN_x*.pb; their scale must be the one asked for. Alpha is enlarged with the MATLAB-style \
            bicubic resize. Large photos run in tiles with the same result; the output may not exceed \
            --max-pixels.
            """)

    @Argument(help: "Images or folders to enlarge.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output file (one input) or folder.")
    var output: String?

    @Option(help: "The enlargement: 2, 3 or 4 with the bundled weights (default: 3, or the scale of --weights).")
    var scale: Int?

    @Option(help: "The model: espcn.")
    var model: RestorationModelKind = .espcn

    @Option(help: "Weights: Lumen .safetensors, Nhat-Thanh's ESPCN-x*.pt or OpenCV's ESPCN_x*.pb (default: Lumen's bundled weights).")
    var weights: String?

    @OptionGroup var writing: ImageOutputOptions

    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one image or folder") }
        try model.require(.superResolution)
        if let scale, !(1...16).contains(scale) { throw ValidationError("--scale must be in 1...16, got \(scale)") }
        try writing.validate(output: output)
    }

    func run() throws {
        runtime.apply()
        let restorer = try weights.map { try model.load(weights: URL(fileURLWithPath: $0), scale: scale) } ?? model.pretrained(scale ?? 3)
        let plan = try EnhancePlan(inputs: inputs, output: output, format: writing.format, suffix: "upscaled")
        try RestorationRun(plan: plan, restorer: restorer, writing: writing, verb: "upscaled",
                           how: "×\(restorer.scaleFactor) with \(model)").run()
    }
}
