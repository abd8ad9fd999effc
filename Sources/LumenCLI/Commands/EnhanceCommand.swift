import ArgumentParser
import Foundation
import Lumen
import LumenDeploy
import LumenImaging
import LumenIO
import LumenTensor

/// `lumen enhance`: brighten photos or folders of photos with a learned model or a
/// classical method.
struct Enhance: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Brighten photos with a learned model or a classical method.",
        discussion: """
            Inputs are image files and/or folders (their PNG, JPEG, TIFF, WebP and BMP files, not \
            recursively). With one input file, -o names the output file when its extension is an \
            image format's (png, jpg, tif, webp, bmp), else a folder (an unknown extension such as \
            .gif is an error); with several inputs -o is a folder, created if needed, and outputs \
            keep the input names. Without -o, each output is written beside its input as \
            NAME-enhanced.EXT. No output may replace an input, and no two inputs may share an \
            output: both are refused before anything runs. An existing output is replaced. Alpha \
            is carried over unchanged (gray + alpha becomes RGBA); a JPEG output of a transparent \
            input is refused. A file that cannot be read is reported and skipped; the exit status \
            is then non-zero. Outputs are written atomically. `--weights model.onnx` runs an ONNX \
            graph in Lumen's engine instead of a zoo model: it takes [N, 3, H, W] in [0, 1] and \
            gives 3 channels, and runs on whole images (its reach is unknown, so it is not tiled).
            """)

    @Argument(help: "Images or folders to enhance.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output file (one input) or folder.")
    var output: String?

    @OptionGroup var model: ModelOptions

    @Option(help: ArgumentHelp("A classical method instead of a model: \(ClassicalMethod.allCases.map(\.rawValue).joined(separator: ", ")).",
                               discussion: ClassicalMethod.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "\n")))
    var method: ClassicalMethod?

    @OptionGroup var runtime: RuntimeOptions

    @OptionGroup var writing: ImageOutputOptions

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one image or folder") }
        try writing.validate(output: output)
        if let method, model.isGiven {
            throw ValidationError("--method \(method.rawValue) runs a classical method instead of a model: drop --model, --weights and --scale, or --method")
        }
        if model.weightsAreONNX, model.chosenModel != nil || model.chosenScale != nil {
            throw ValidationError("an ONNX file is a whole model: drop --model and --scale with --weights \(model.weights ?? "")")
        }
    }

    func run() throws {
        runtime.apply()
        let plan = try EnhancePlan(inputs: inputs, output: output, format: writing.format, suffix: "enhanced")
        let engine: Engine
        if model.weightsAreONNX, let weights = model.weights {
            engine = .onnx(try ONNXModel(contentsOf: URL(fileURLWithPath: weights)))
        } else {
            engine = .native(try method.map { ClassicalEnhancer($0) } ?? model.load())
        }
        try plan.run(verb: "enhanced", how: "with \(method?.rawValue ?? engine.name ?? model.model.rawValue)") { job, tileProgress in
            try enhance(job, with: engine, progress: tileProgress)
        }
    }

    /// What runs: a zoo model or classical method, or an imported ONNX graph.
    private enum Engine {
        case native(any TensorEnhancer)
        case onnx(ONNXModel)

        /// How the model is named in the summary line, when not by `--model`.
        var name: String? {
            switch self {
            case .onnx(let model): "\(model.file) in Lumen's engine"
            case .native(let enhancer as any QuantizedEnhancer): "int8 \(enhancer.file.model) (\(enhancer.file.source))"
            case .native: nil
            }
        }

        func enhanced(_ input: Tensor, file: String, tileSize: Int, progress: (Int, Int) -> Void) throws -> Tensor {
            switch self {
            case .native(let enhancer):
                if let problem = enhancer.sizeProblem(height: input.shape[2], width: input.shape[3]) {
                    throw LumenCLIError.cannotProcess(file: file, reason: problem)
                }
                return tileSize == 0 ? enhancer.enhanced(input) : enhancer.enhancedInTiles(input, tileSize: tileSize, progress: progress)
            case .onnx(let model):
                let output: Tensor
                do { output = try model.run(input) } catch {
                    throw LumenCLIError.cannotProcess(file: file, reason: error.localizedDescription)
                }
                guard output.shape.rank == 4, output.shape[0] == 1, output.shape[1] == 3 else {
                    throw LumenCLIError.cannotProcess(file: file, reason: "\(model.file) gives \(output.shape), not an RGB image [1, 3, H, W]")
                }
                progress(1, 1)
                return output
            }
        }
    }

    /// Enhances the colour and carries the input's alpha over unchanged; an opaque
    /// alpha channel is dropped only when the output format stores none.
    private func enhance(_ job: EnhancePlan.Job, with engine: Engine, progress: (Int, Int) -> Void) throws {
        let image = try Image(contentsOf: job.input)
        guard job.format.storesAlpha || image.isOpaque else {
            throw LumenCLIError.alphaNotStorable(job.input.relativePath, format: job.format)
        }
        let enhanced = try withoutGradients {
            try engine.enhanced(image.rgb().tensor(), file: job.input.relativePath, tileSize: writing.tiles(), progress: progress)
        }
        let color = Image(tensor: enhanced, bitDepth: writing.bitDepth)
        let alpha = job.format.storesAlpha ? image.alphaChannel : nil
        try (alpha.map { color.addingAlpha($0) } ?? color)
            .write(to: job.output, format: job.format, quality: writing.quality, bitDepth: writing.bitDepth)
    }
}

extension ClassicalMethod: ExpressibleByArgument {}
