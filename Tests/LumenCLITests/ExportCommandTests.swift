import Foundation
import Lumen
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// `lumen export` as a user runs it: the bundled models out to ONNX, run in ONNX
/// Runtime (the conformance venv of `scripts/setup-conformance.sh`, whose script also
/// runs `onnx.checker` with its full check) on a real photo and compared with the
/// bundled model's float output on the same photo.
@Suite(.tags(.endToEnd)) struct ExportCommandTests {
    static let photo = Fixtures.data("test/dicm/01.jpg")
    static let python = ConformanceTools.python

    @Test(.fixtures(photo, python), arguments: ["zero-dce", "zero-dce-pp", "sci", "gain-unet", "enlighten-gan", "gan-paired"])
    func onnxRuntimeMatchesLumen(model: String) throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        // A PNG, so that both sides read the same pixels (JPEG decoders may differ).
        let png = root.appendingPathComponent("photo.png")
        try Image(contentsOf: Fixtures.require(Self.photo)).write(to: png)
        let onnx = root.appendingPathComponent("\(model).onnx")
        let kind = try #require(ModelKind(rawValue: model))
        // gan-paired ships no weights: Lumen's random ones, through --weights.
        let weights = root.appendingPathComponent("weights.safetensors")
        if !kind.hasBundledWeights { try kind.makeModel(seed: 5).saveWeights(to: weights, kind: kind) }
        let export = try runLumen(["export", model, "--format", "onnx", "-o", onnx.path]
                                  + (kind.hasBundledWeights ? [] : ["--weights", weights.path]))
        #expect(export.status == 0, "\(export.standardError)")

        let raw = root.appendingPathComponent("ort.f32")
        let runtime = try ConformanceTools.run("scripts/onnxruntime-run.py", [onnx.path, png.path, raw.path])
        #expect(runtime.status == 0, "the model fails onnx.checker or ONNX Runtime: \(runtime.standardError)")
        let onnxRuntime = try ConformanceTools.readFloats(raw, rank: 4)
        let photo = try Image(contentsOf: png)
        let native = try kind.hasBundledWeights ? kind.pretrained() : kind.load(weights: weights)
        let lumen = try withoutGradients { try native.enhanced(photo.rgb().tensor()) }
        #expect(onnxRuntime.shape == lumen.shape)
        let largest = maxAbsoluteDifference(onnxRuntime.scalars, lumen.scalars)
        // Instance norm sums a whole 640x480 plane: ONNX Runtime's InstanceNormalization
        // alone is up to 1e-4 from a float64 evaluation of its own inputs (measured with
        // ORT 1.32 on this photo), which reaches gan-paired's output as 1.25e-5.
        let tolerance: Float = kind == .ganPaired ? 3e-5 : 1e-5
        #expect(largest <= tolerance, "largest difference \(largest)")
    }

    /// The restoration models on their own channels (the luma plane for ESPCN, the
    /// photo's planes as a batch of three for the gray DnCNN, RGB for the auto-encoder),
    /// on an odd-sized corner of the photo so that the auto-encoder's padding runs.
    @Test(.fixtures(photo, python), arguments: [["espcn"], ["espcn", "--scale", "2"], ["dncnn"], ["denoise-ae", "--opset", "13"]])
    func onnxRuntimeMatchesLumenForRestoration(arguments: [String]) throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let kind = try #require(RestorationModelKind(rawValue: arguments[0]))
        let onnx = root.appendingPathComponent("\(kind).onnx")
        let export = try runLumen(["export"] + arguments + ["-o", onnx.path])
        #expect(export.status == 0, "\(export.standardError)")

        let restorer = try kind.pretrained(kind == .espcn ? arguments.count > 1 ? 2 : 3 : 25)
        let input = restorer.colorModel.networkInput(try Image(contentsOf: Fixtures.require(Self.photo)))
            .sliced(axis: 2, range: 101..<258).sliced(axis: 3, range: 37..<238)
        let raw = root.appendingPathComponent("input.f32"), result = root.appendingPathComponent("ort.f32")
        try ConformanceTools.writeFloats(input, to: raw)
        let runtime = try ConformanceTools.run("scripts/onnxruntime-run.py", [onnx.path, raw.path, result.path])
        #expect(runtime.status == 0, "the model fails onnx.checker or ONNX Runtime: \(runtime.standardError)")
        let onnxRuntime = try ConformanceTools.readFloats(result, rank: 4)
        let lumen = withoutGradients { restorer.restored(input) }
        #expect(onnxRuntime.shape == lumen.shape)
        let largest = maxAbsoluteDifference(onnxRuntime.scalars, lumen.scalars)
        #expect(largest <= 1e-5, "\(arguments.joined(separator: " ")): largest difference \(largest)")
    }

    /// The matting U-Net's alpha: the bundled plain and low-light (Zero-DCE++ front end)
    /// models, and the illumination front end with Lumen's random weights through --weights.
    @Test(.fixtures(photo, python), arguments: [MattingFrontEndKind.none, .zeroDCEPlusPlus, .illumination])
    func onnxRuntimeMatchesLumenForMatting(frontEnd: MattingFrontEndKind) throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let png = root.appendingPathComponent("photo.png"), onnx = root.appendingPathComponent("matting.onnx")
        try Image(contentsOf: Fixtures.require(Self.photo)).write(to: png)
        let weights = root.appendingPathComponent("weights.safetensors")
        let model: MattingUNet, options: [String]
        switch frontEnd {
        case .none: (model, options) = (try MattingUNet.pretrained(frontEnd: .none), [])
        case .zeroDCEPlusPlus: (model, options) = (try MattingUNet.pretrained(frontEnd: .zeroDCEPlusPlus), ["--low-light"])
        case .illumination:
            try MattingUNet.make(frontEnd: .illumination, seed: 4).saveWeights(to: weights)
            (model, options) = (try MattingUNet.load(from: weights), ["--weights", weights.path])
        }
        let export = try runLumen(["export", "matting-unet", "-o", onnx.path] + options)
        #expect(export.status == 0, "\(export.standardError)")
        let raw = root.appendingPathComponent("ort.f32")
        let runtime = try ConformanceTools.run("scripts/onnxruntime-run.py", [onnx.path, png.path, raw.path])
        #expect(runtime.status == 0, "the model fails onnx.checker or ONNX Runtime: \(runtime.standardError)")
        let onnxRuntime = try ConformanceTools.readFloats(raw, rank: 4)
        model.eval()
        let lumen = try withoutGradients { model.alpha(try Image(contentsOf: png).rgb().tensor()) }
        #expect(onnxRuntime.shape == lumen.shape)
        let largest = maxAbsoluteDifference(onnxRuntime.scalars, lumen.scalars)
        // 27 convolutions with batch norm reach logits of ±60 on this photo: ONNX Runtime
        // 1.32 differs from itself by 1.04e-5 in the alpha between ORT_ENABLE_ALL (which
        // folds batch norm into the convolutions) and ORT_DISABLE_ALL, so 1e-5 is below
        // float32's own spread here; Lumen measured 1.38e-5 from the former.
        #expect(largest <= 2e-5, "\(frontEnd): largest difference \(largest)")
    }

    /// The whole loop as a user runs it: export, then `lumen enhance --weights model.onnx`
    /// runs the graph in Lumen's engine and writes what the native model writes (16-bit
    /// PNG, within one level); a damaged file is refused naming it, and nothing is written.
    @Test(.fixtures(photo)) func enhanceRunsTheExportedGraph() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let onnx = root.appendingPathComponent("zero-dce-pp.onnx")
        #expect(try runLumen(["export", "zero-dce-pp", "-o", onnx.path]).status == 0)
        let viaONNX = root.appendingPathComponent("onnx.png"), native = root.appendingPathComponent("native.png")
        let photo = try Fixtures.require(Self.photo).path
        let run = try runLumen(["enhance", photo, "--weights", onnx.path, "-o", viaONNX.path, "--bit-depth", "16"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("zero-dce-pp.onnx in Lumen's engine"), "\(run.standardOutput)")
        #expect(try runLumen(["enhance", photo, "--model", "zero-dce-pp", "-o", native.path, "--bit-depth", "16"]).status == 0)
        let a = try Image(contentsOf: viaONNX), b = try Image(contentsOf: native)
        #expect(a.width == b.width && a.height == b.height && a.bitDepth == 16)
        let levels = zip(a.samples, b.samples).map { abs(Int($0) - Int($1)) }.max() ?? 0
        #expect(levels <= 1, "the ONNX graph's output differs from the native model's by \(levels) levels of 65535")

        let damaged = root.appendingPathComponent("damaged.onnx"), out = root.appendingPathComponent("out.png")
        try Data(try Data(contentsOf: onnx).prefix(5000)).write(to: damaged)
        let refused = try runLumen(["enhance", photo, "--weights", damaged.path, "-o", out.path])
        #expect(refused.status != 0 && refused.standardError.contains("damaged.onnx"), "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing is written for a model that cannot load")
    }

    @Test func benchTimesTheImportedGraph() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let onnx = root.appendingPathComponent("zero-dce.onnx").path
        #expect(try runLumen(["export", "zero-dce", "-o", onnx]).status == 0)
        let bench = try runLumen(["bench", "model", "--weights", onnx, "--size", "64x48", "--repeats", "1", "--warmup", "0", "--json"])
        #expect(bench.status == 0, "\(bench.standardError)")
        #expect(bench.standardOutput.contains("\"engine\":\"lumen-onnx\"") && bench.standardOutput.contains("zero-dce.onnx (ONNX)"),
                "\(bench.standardOutput)")
        let mixed = try runLumen(["bench", "model", "--weights", onnx, "--model", "sci", "--size", "64x48"])
        #expect(mixed.status != 0 && mixed.standardError.contains("an ONNX file is a whole model"), "\(mixed.standardError)")
    }

    @Test func badRequestsAreRefused() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("m.onnx").path
        let opset = try runLumen(["export", "zero-dce", "-o", out, "--opset", "11"])
        #expect(opset.status != 0 && opset.standardError.contains("--opset must be 13 or 17"))
        let unsupported = try runLumen(["export", "parametric", "-o", out])
        #expect(unsupported.status != 0 && unsupported.standardError.contains("'parametric' is invalid"), "\(unsupported.standardError)")
        let misplaced = try runLumen(["export", "dncnn", "--scale", "2", "-o", out])
        #expect(misplaced.status != 0 && misplaced.standardError.contains("--scale is for zero-dce-pp and espcn"), "\(misplaced.standardError)")
        let sigma = try runLumen(["export", "espcn", "--sigma", "25", "-o", out])
        #expect(sigma.status != 0 && sigma.standardError.contains("--sigma is for the denoisers"), "\(sigma.standardError)")
        let lowLight = try runLumen(["export", "zero-dce", "--low-light", "-o", out])
        #expect(lowLight.status != 0 && lowLight.standardError.contains("--low-light is for matting-unet"), "\(lowLight.standardError)")
        let noBundled = try runLumen(["export", "espcn", "--scale", "5", "-o", out])
        #expect(noBundled.status != 0 && noBundled.standardError.contains("×5"), "\(noBundled.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing is written for a refused export")
        let missing = try runLumen(["export", "zero-dce", "--weights", root.appendingPathComponent("none.safetensors").path, "-o", out])
        #expect(missing.status != 0 && missing.standardError.contains("none.safetensors"), "\(missing.standardError)")
    }
}
