import ArgumentParser
import Foundation
import Lumen
import LumenImaging
import LumenIO

/// `lumen matte`: alpha mattes (and cut-outs) of photos, in any light.
struct MatteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matte",
        abstract: "Cut the subject out of photos: write its alpha matte, and optionally an RGBA cut-out.",
        discussion: """
            Inputs, -o, formats and errors work as in `lumen enhance`; without -o each alpha is written \
            beside its photo as NAME-alpha.EXT (gray, 0 background, 255 subject). --cutout PATH also writes \
            the photo with that alpha as its transparency: a file for one input, else a folder (PNG). \
            The mode switch follows seed 001: in normal light the plain model runs, in low light the model \
            with a low-light front end; --low-light auto decides by the photo's mean brightness (below \
            \(MattingPipeline.darkThreshold) is low light), on and off force it. Both models ship with Lumen; \
            --weights replaces the plain model's weights and --low-light-weights the other's (`lumen train \
            matting-unet` writes both kinds). Tiles are exact: the result equals whole-image inference.
            """)

    @Argument(help: "Images or folders to matte.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output file (one input) or folder for the alpha mattes.")
    var output: String?

    @Option(help: "Also write RGBA cut-outs: a file (one input) or a folder.")
    var cutout: String?

    @Option(help: "When the low-light model runs: auto (by brightness), on or off.")
    var lowLight: MattingPipeline.Mode = .auto

    @Option(help: "Weights of the plain matting-unet (trained without a front end) instead of the bundled ones.")
    var weights: String?

    @Option(help: "Weights of the matting-unet with a low-light front end instead of the bundled ones.")
    var lowLightWeights: String?

    @OptionGroup var writing: ImageOutputOptions

    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one image or folder") }
        if lowLight == .on && weights != nil { throw ValidationError("--low-light on never runs the plain model: drop --weights") }
        if lowLight == .off && lowLightWeights != nil {
            throw ValidationError("--low-light off never runs the low-light model: drop --low-light-weights")
        }
        try writing.validate(output: output)
    }

    func run() throws {
        runtime.apply()
        /// The model the mode can run: from `path`, else the bundled one; `nil` if the mode never runs it.
        func load(_ path: String?, expectingFrontEnd: Bool) throws -> MattingUNet? {
            guard lowLight != (expectingFrontEnd ? .off : .on) else { return nil }
            guard let path else { return try MattingUNet.pretrained(frontEnd: expectingFrontEnd ? .zeroDCEPlusPlus : .none) }
            let model = try MattingUNet.load(from: URL(fileURLWithPath: path))
            guard (model.frontEndKind != .none) == expectingFrontEnd else {
                throw ValidationError(expectingFrontEnd
                    ? "\(path) is a plain matting-unet; --low-light-weights takes one trained with --front-end"
                    : "\(path) has a \(model.frontEndKind.rawValue) front end; --weights takes the plain model")
            }
            return model
        }
        let pipeline = MattingPipeline(plain: try load(weights, expectingFrontEnd: false),
                                       lowLight: try load(lowLightWeights, expectingFrontEnd: true), mode: lowLight)
        let plan = try EnhancePlan(inputs: inputs, output: output, format: writing.format, suffix: "alpha")
        let cutouts = try cutoutPaths(for: plan)
        var dark = 0
        try plan.run(verb: "matted", how: "with matting-unet") { job, tileProgress in
            let image = try Image(contentsOf: job.input)
            let result = pipeline.matte(image, tileSize: writing.tiles(standard: 1024), progress: tileProgress)
            if result.usedLowLight { dark += 1 }
            try Image(tensor: result.alpha, bitDepth: writing.bitDepth)
                .write(to: job.output, format: job.format, quality: writing.quality, bitDepth: writing.bitDepth)
            if let cutout = cutouts[job.input] {
                try image.colorChannels.addingAlpha(Image(tensor: result.alpha, bitDepth: image.bitDepth))
                    .write(to: cutout, format: .png, bitDepth: image.bitDepth)
            }
        }
        if lowLight == .auto { print("\(dark) of \(plan.jobs.count) photos were dark and went through the low-light front end") }
    }

    /// Where each input's cut-out goes: `--cutout` itself for one input, else
    /// `--cutout/NAME.png`; none may be an input or an alpha output.
    private func cutoutPaths(for plan: EnhancePlan) throws -> [URL: URL] {
        guard let cutout else { return [:] }
        var paths: [URL: URL] = [:]
        let isFolder = plan.jobs.count > 1 || ImageFormat(pathExtension: (cutout as NSString).pathExtension) == nil
        if isFolder { try FileManager.default.createDirectory(atPath: cutout, withIntermediateDirectories: true) }
        for job in plan.jobs {
            let url = isFolder
                ? URL(fileURLWithPath: cutout).appendingPathComponent(job.input.deletingPathExtension().lastPathComponent + ".png")
                : URL(fileURLWithPath: cutout)
            if !isFolder, let format = ImageFormat(pathExtension: url.pathExtension), !format.storesAlpha {
                throw LumenCLIError.alphaNotStorable(cutout, format: format)
            }
            let taken = plan.jobs.flatMap { [$0.input.standardizedFileURL, $0.output.standardizedFileURL] }
            if taken.contains(url.standardizedFileURL) { throw LumenCLIError.wouldOverwriteInput(url.relativePath) }
            paths[job.input] = url
        }
        return paths
    }
}

extension MattingPipeline.Mode: ExpressibleByArgument {}
