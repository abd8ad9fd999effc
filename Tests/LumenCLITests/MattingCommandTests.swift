import Foundation
import LumenImaging
import LumenIO
import LumenTestSupport
import Testing

/// `lumen synth-matting`, `lumen train matting-unet` and `lumen matte` chained as a
/// user runs them on tiny data, and their bad input.
@Suite(.tags(.endToEnd, .slow)) struct MattingCommandTests {
    static let photos = Fixtures.data("train-unpaired")
    static let dark = Fixtures.data("test/dicm/01.jpg")

    /// A matting folder made by `lumen synth-matting` from a few photos.
    private func synthesized(_ root: URL) throws -> URL {
        let photos = root.appendingPathComponent("photos"), data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for name in ["1.jpg", "10.jpg", "100.jpg", "1000.jpg"] {
            try FileManager.default.copyItem(at: Fixtures.require(Self.photos.appendingPathComponent(name)),
                                             to: photos.appendingPathComponent(name))
        }
        let run = try runLumen(["synth-matting", "--photos", photos.path, "--out", data.path, "--count", "4", "--size", "64",
                                "--test-fraction", "0.01"])
        #expect(run.status == 0, "\(run.standardError)")
        return data
    }

    @Test(.fixtures(photos, dark))
    func trainsBothModelsAndMattesWithTheModeSwitch() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = try synthesized(root)
        let plan = root.appendingPathComponent("plan.json")
        try Data((#"{"stages": [{"name": "head", "epochs": 1, "learningRate": 1e-3, "train": ["head", "frontEnd"]},"#
                  + #" {"name": "rest", "epochs": 1, "learningRate": 1e-4, "freeze": ["frontEnd"]}]}"#).utf8).write(to: plan)
        let plain = try runLumen(["train", "matting-unet", "--mattes", data.path, "--stages", "none", "--epochs", "1",
                                  "--size", "32", "--batch-size", "2", "--out", root.appendingPathComponent("plain").path])
        #expect(plain.status == 0, "\(plain.standardError)")
        let low = try runLumen(["train", "matting-unet", "--mattes", data.path, "--stages", plan.path, "--front-end", "illumination",
                                "--size", "32", "--batch-size", "2", "--out", root.appendingPathComponent("low").path])
        #expect(low.status == 0, "\(low.standardError)")
        #expect(low.standardOutput.contains("trained matting-unet for 2 epochs"))
        let settings = try String(contentsOf: root.appendingPathComponent("low/settings.txt"), encoding: .utf8)
        #expect(settings.contains("\"front-end\": \"illumination\"") && settings.contains("head: 1 epochs at 0.001, train head frontEnd"))

        let bright = root.appendingPathComponent("bright.png")
        try Image(width: 96, height: 64, channels: 3, samples: [UInt16](repeating: 180, count: 96 * 64 * 3)).write(to: bright)
        let out = root.appendingPathComponent("alphas"), cutouts = root.appendingPathComponent("cutouts")
        let matte = try runLumen(["matte", Self.dark.path, bright.path, "-o", out.path, "--cutout", cutouts.path,
                                  "--weights", root.appendingPathComponent("plain/matting-unet.safetensors").path,
                                  "--low-light-weights", root.appendingPathComponent("low/matting-unet.safetensors").path,
                                  "--tile-size", "256"])
        #expect(matte.status == 0, "\(matte.standardError)")
        #expect(matte.standardOutput.contains("1 of 2 photos were dark"), "\(matte.standardOutput)")
        let photo = try Image(contentsOf: Self.dark)
        let alpha = try Image(contentsOf: out.appendingPathComponent("01.png"))
        #expect(alpha.channels == 1 && alpha.width == photo.width && alpha.height == photo.height)
        let cutout = try Image(contentsOf: cutouts.appendingPathComponent("01.png"))
        #expect(cutout.channels == 4 && cutout.alphaChannel == alpha.converted(toBitDepth: cutout.bitDepth))
        #expect(matte.standardError.contains("tile"), "a 680x512 photo in 256-pixel tiles reports its tiles")

        // Both models scored against the composites' alphas, over the trimaps' unknown region and the whole image.
        let report = root.appendingPathComponent("report")
        let eval = try runLumen(["eval", "--task", "matting", "--data", data.appendingPathComponent("image").path,
                                 "--reference", data.appendingPathComponent("alpha").path,
                                 "--trimaps", data.appendingPathComponent("trimap").path, "--out", report.path, "--methods",
                                 "matting-unet:" + root.appendingPathComponent("plain/matting-unet.safetensors").path
                                     + ",matting-unet:" + root.appendingPathComponent("low/matting-unet.safetensors").path
                                     + ",matting-unet:" + root.appendingPathComponent("low/checkpoint.safetensors").path])
        #expect(eval.status == 0, "\(eval.standardError)")
        let summary = try String(contentsOf: report.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(summary.split(separator: "\n").filter { $0.hasPrefix("| unknown |") || $0.hasPrefix("| whole |") }.count == 6, "\(summary)")
        let html = try String(contentsOf: report.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "<img ").count - 1 == 4 * 5, "photo, truth and three alphas for each of 4 photos")
        #expect(summary.contains("matting-unet (plain/matting-unet.safetensors)") && summary.contains("matting-unet (low/matting-unet.safetensors)"),
                "two weights files of one name are told apart by their folders")
        #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent("images/matting-unet--plain-matting-unet.safetensors-/00000.png").path))
        #expect(summary.contains("matting-unet (checkpoint.safetensors)"), "a training checkpoint, front end and all, is scored too")
        try Image(width: 64, height: 64, channels: 1, samples: [UInt16](repeating: 255, count: 64 * 64))
            .write(to: data.appendingPathComponent("trimap/00001.png"))
        let known = try runLumen(["eval", "--task", "matting", "--data", data.appendingPathComponent("image").path,
                                  "--reference", data.appendingPathComponent("alpha").path,
                                  "--trimaps", data.appendingPathComponent("trimap").path, "--out", report.path, "--methods",
                                  "matting-unet:" + root.appendingPathComponent("plain/matting-unet.safetensors").path])
        #expect(known.status != 0 && known.standardError.contains("trimap/00001.png is a trimap without an unknown region"),
                "\(known.standardError)")

        // The weights must be of the kind each flag takes.
        let swapped = try runLumen(["matte", Self.dark.path, "-o", root.appendingPathComponent("x.png").path, "--low-light", "on",
                                    "--low-light-weights", root.appendingPathComponent("plain/matting-unet.safetensors").path])
        #expect(swapped.status != 0 && swapped.standardError.contains("is a plain matting-unet"), "\(swapped.standardError)")
    }

    /// With no weights given, `lumen matte` and `lumen eval --task matting` run the bundled models.
    @Test(.fixtures(dark, Fixtures.shared("fixtures/matting")))
    func theBundledModelsMatteWithoutWeights() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let matting = Fixtures.shared("fixtures/matting")
        let bright = matting.appendingPathComponent("gt05_merged.png")
        let matte = try runLumen(["matte", Self.dark.path, bright.path, "-o", root.appendingPathComponent("alphas").path])
        #expect(matte.status == 0, "\(matte.standardError)")
        #expect(matte.standardOutput.contains("1 of 2 photos were dark"), "\(matte.standardOutput)")
        let alpha = try Image(contentsOf: root.appendingPathComponent("alphas/gt05_merged.png"))
        #expect(alpha.channels == 1 && alpha.width == 800 && alpha.height == 552)

        for folder in ["image", "alpha", "trimap"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        for (folder, file) in [("image", "gt05_merged_lowlight_g0.4_s0.3_seed0.png"), ("alpha", "gt05_alpha.png"), ("trimap", "gt05_trimap.png")] {
            try FileManager.default.copyItem(at: matting.appendingPathComponent(file), to: root.appendingPathComponent("\(folder)/gt05.png"))
        }
        let report = root.appendingPathComponent("report")
        let eval = try runLumen(["eval", "--task", "matting", "--data", root.appendingPathComponent("image").path,
                                 "--reference", root.appendingPathComponent("alpha").path,
                                 "--trimaps", root.appendingPathComponent("trimap").path, "--out", report.path])
        #expect(eval.status == 0, "\(eval.standardError)")
        #expect(eval.standardOutput.contains("| unknown | matting-unet | 1 |") && eval.standardOutput.contains("| unknown | matting-unet-low-light | 1 |"),
                "\(eval.standardOutput)")
        let wrong = try runLumen(["matte", Self.dark.path, "--low-light", "off", "--low-light-weights", "x.safetensors"])
        #expect(wrong.status != 0 && wrong.standardError.contains("never runs the low-light model"), "\(wrong.standardError)")
    }

    @Test(.fixtures(photos))
    func badMattingInputIsNamed() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = try synthesized(root)
        let plan = root.appendingPathComponent("plan.json")
        try Data(#"{"stages": [{"name": "deep", "epochs": 1, "learningRate": 1e-4, "freeze": ["encoder.stage7"]}]}"#.utf8).write(to: plan)
        let unknown = try runLumen(["train", "matting-unet", "--mattes", data.path, "--stages", plan.path, "--size", "32",
                                    "--out", root.appendingPathComponent("run").path])
        #expect(unknown.status != 0 && unknown.standardError.contains("names encoder.stage7, which is no part of this network"),
                "\(unknown.standardError)")
        try Image(width: 10, height: 10, channels: 1, samples: [UInt16](repeating: 3, count: 100))
            .write(to: data.appendingPathComponent("alpha/00001.png"))
        let size = try runLumen(["train", "matting-unet", "--mattes", data.path, "--stages", "none", "--size", "32",
                                 "--out", root.appendingPathComponent("run2").path])
        #expect(size.status != 0 && size.standardError.contains("alpha/00001.png is 10x10"), "\(size.standardError)")
        let noData = try runLumen(["train", "matting-unet", "--data", data.path])
        #expect(noData.status != 0 && noData.standardError.contains("--mattes DIR"), "\(noData.standardError)")
    }
}
