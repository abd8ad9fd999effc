import ArgumentParser
import Foundation
import Lumen
import LumenDeploy
import LumenIO
import LumenTensor

extension CalibrationMethod: ExpressibleByArgument {}

/// `lumen quantize`: post-training static int8 quantisation, calibrated on photos.
struct Quantize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Quantise a model to int8: per-channel weights, activations calibrated on photos.",
        discussion: """
            Weights are quantised symmetrically per output channel, activations to unsigned \
            bytes with one scale per tensor, from the ranges they take on the --calibrate photos \
            (minmax, or the 0.01 and 99.99 percentiles). Convolutions run in int8 with int32 sums; the curve \
            steps, tanh and sigmoid stay float. Both take 8 bits where this CPU has VNNI (or NEON). \
            Where its best is AVX2, whose VPMADDUBSW adds pairs of byte products into saturating \
            int16, one of the two takes 7 bits (Zero-DCE: the activations; SCI: the weights) and \
            every layer still runs exactly; a file of 8-bit pairs runs on the slower scalar kernels \
            there. Zero-DCE++ keeps 8 bits of both everywhere: only they meet the quality target, and \
            on AVX2 its time is the full-resolution curve steps, which int8 does not speed up anyway. The result loads in `lumen enhance --weights` like any \
            weights. At the end the int8 output is compared with the float output on the --compare \
            photos (default: the calibration photos): PSNR, and the share of 8-bit values more than one \
            level apart. Models: zero-dce, zero-dce-pp, sci.
            """)

    static let models: [ModelKind] = [.zeroDCE, .zeroDCEPlusPlus, .sci]

    @Argument(help: "The model: \(Self.models.map(\.rawValue).joined(separator: ", ")).")
    var model: ModelKind

    @Option(help: "The float weights (Lumen safetensors or an official checkpoint; default: the bundled weights).")
    var weights: String?

    @Option(help: "Zero-DCE++ only: the curve estimation's downsampling factor (default: 12).")
    var scale: Int?

    @Option(help: "A folder of photos (or one photo) to calibrate the activations on.")
    var calibrate: String

    @Option(help: "How activation ranges are chosen: minmax or percentile.")
    var method: CalibrationMethod = .minmax

    @Option(help: "Bits per weight, 7 or 8 (default: see above).")
    var weightBits: Int?

    @Option(help: "Bits per activation, 7 or 8 (default: see above).")
    var activationBits: Int?

    @Option(help: "At most this many calibration photos, spread evenly over the folder.")
    var limit = 32

    @Option(help: "Folders of photos to compare the int8 output with the float output on (default: the calibration photos).")
    var compare: [String] = []

    @Option(name: .shortAndLong, help: "The int8 model to write (safetensors).")
    var output: String

    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        guard Self.models.contains(model) else {
            throw ValidationError("lumen quantize takes \(Self.models.map(\.rawValue).joined(separator: ", ")), not \(model)")
        }
        for (flag, bits) in [("--weight-bits", weightBits), ("--activation-bits", activationBits)] {
            if let bits, bits != 7 && bits != 8 { throw ValidationError("\(flag) must be 7 or 8, got \(bits)") }
        }
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1, got \(limit)") }
        if let scale {
            guard model == .zeroDCEPlusPlus else { throw ValidationError("--scale applies to zero-dce-pp only, not \(model)") }
            guard (1...ModelOptions.maximumScale).contains(scale) else {
                throw ValidationError("--scale must be in 1...\(ModelOptions.maximumScale), got \(scale)")
            }
        }
    }

    func run() throws {
        runtime.apply()
        let destination = URL(fileURLWithPath: output)
        try refuseReplacingInput(output: destination, inputs: weights.map { [URL(fileURLWithPath: $0)] } ?? [])
        let float = try weights.map { try model.load(weights: URL(fileURLWithPath: $0), scale: scale ?? 12) }
            ?? model.pretrained(scale: scale ?? 12)
        let photos = try Self.photos(in: calibrate, limit: limit)
        let images = try Self.read(photos, for: float, unit: "calibration photos")
        var settings = QuantizationSettings.defaults(for: model, eightBitPairs: Int8InstructionSet.takesEightBitPairs)
        settings.method = method
        if let weightBits { settings.weightBits = weightBits }
        if let activationBits { settings.activationBits = activationBits }
        var file: QuantizedModelFile
        switch float {
        case let network as ZeroDCE:
            file = QuantizedZeroDCE.quantizing(network, calibratingOn: images, settings: settings)
        case let network as ZeroDCEPlusPlus:
            file = QuantizedZeroDCEPlusPlus.quantizing(network, calibratingOn: images, settings: settings)
        case let network as SCI:
            file = QuantizedSCI.quantizing(network, calibratingOn: images, settings: settings)
        default:
            preconditionFailure("validate() lets only \(Self.models) through")
        }
        file.metadata["lumen.calibration"] = "\(method.rawValue) on \(photos.count) photos of \(calibrate)"
        file.metadata["lumen.bits"] = "\(settings.weightBits)-bit weights, \(settings.activationBits)-bit activations"
        file.metadata["lumen.quantized-from"] = weights.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "bundled \(model) weights"
        let quantized = try file.enhancer()
        let compared = compare.isEmpty ? photos : try compare.flatMap { try Self.photos(in: $0, limit: .max) }
        var quality = QuantizationQuality()
        let comparing = ProgressBar(total: compared.count, unit: "comparisons")
        for (index, photo) in compared.enumerated() {
            let image = compare.isEmpty ? images[index] : try Self.read([photo], for: float, unit: nil)[0]
            withoutGradients { quality.add(quantized: quantized.enhanced(image), float: float.enhanced(image)) }
            comparing.update(done: index + 1, detail: photo.lastPathComponent)
        }
        try file.write(to: destination)
        let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        print("\(model) -> \(output) (\(size) bytes): \(settings.weightBits)-bit weights, \(settings.activationBits)-bit activations "
              + "by \(method.rawValue) on \(photos.count) photos; this CPU's int8 kernels: \(Int8InstructionSet.active.rawValue)")
        print(String(format: "int8 against float on %d %@ photos: PSNR %.2f dB mean, %.2f dB worst; %.3f %% of 8-bit values off by more than one level",
                     compared.count, compare.isEmpty ? "calibration" : "comparison", quality.meanPSNR, quality.worstPSNR,
                     100 * quality.fractionOffByMoreThanOne))
    }

    /// The photos of `path` (a folder, or one photo), at most `limit` spread evenly.
    private static func photos(in path: String, limit: Int) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LumenCLIError.cannotProcess(file: path, reason: "no such file or folder")
        }
        guard isDirectory.boolValue else { return [URL(fileURLWithPath: path)] }
        let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted().filter(EnhancePlan.isImageFile)
        guard !names.isEmpty else { throw LumenCLIError.noImages(path) }
        let chosen = names.count <= limit ? names : (0..<limit).map { names[$0 * names.count / limit] }
        return chosen.map { URL(fileURLWithPath: path).appendingPathComponent($0) }
    }

    /// The photos as `[1, 3, H, W]` tensors, each checked against the model's size limits.
    private static func read(_ photos: [URL], for model: any TensorEnhancer, unit: String?) throws -> [Tensor] {
        let progress = unit.map { ProgressBar(total: photos.count, unit: $0) }
        return try photos.enumerated().map { index, photo in
            let image = try Image(contentsOf: photo).rgb()
            if let problem = model.sizeProblem(height: image.height, width: image.width) {
                throw LumenCLIError.cannotProcess(file: photo.relativePath, reason: problem)
            }
            progress?.update(done: index + 1, detail: photo.lastPathComponent)
            return image.tensor()
        }
    }
}
