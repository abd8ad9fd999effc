import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// `lumen distill` as a user runs it: a narrow Zero-DCE that `lumen enhance` loads,
/// a resume that must keep the teacher's settings, and refused requests.
@Suite(.tags(.endToEnd, .slow)) struct DistillCommandTests {
    private func distill(_ data: URL, _ run: URL, epochs: Int, extra: [String] = []) throws -> LumenRun {
        try runLumen(["distill", "--teacher", "zero-dce", "--student-width", "6", "--data", data.path, "--out", run.path,
                      "--epochs", String(epochs), "--batch-size", "2", "--size", "32", "--seed", "1"] + extra)
    }

    @Test(.fixtures(trainingData)) func trainsANarrowStudentThatEnhanceLoads() throws {
        let data = try trainingSubset(count: 4), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        let first = try distill(data, run, epochs: 1)
        #expect(first.status == 0, "\(first.standardError)")
        let log = try String(contentsOf: run.appendingPathComponent("losses.jsonl"), encoding: .utf8)
        #expect(log.contains("\"teacher\":") && log.contains("\"exposure\":"), "\(log.prefix(300))")
        let weights = run.appendingPathComponent("zero-dce.safetensors")
        let file = try Safetensors.read(contentsOf: weights)
        #expect(file.tensors["conv1.weight"]?.shape.dimensions == [6, 3, 3, 3])
        #expect(file.metadata["lumen.distillation.teacher"] == "zero-dce")

        let changed = try distill(data, run, epochs: 2, extra: ["--resume", "--distillation-weight", "3"])
        #expect(changed.status != 0 && changed.standardError.contains("distillation_weight"), "\(changed.standardError)")
        let resumed = try distill(data, run, epochs: 2, extra: ["--resume"])
        #expect(resumed.status == 0, "\(resumed.standardError)")

        let sample = Fixtures.packageRoot.appendingPathComponent("Resources/samples/astronaut-dark.jpg")
        let enhanced = run.appendingPathComponent("lit.png")
        let use = try runLumen(["enhance", sample.path, "-o", enhanced.path, "--model", "zero-dce", "--weights", weights.path])
        #expect(use.status == 0 && FileManager.default.fileExists(atPath: enhanced.path), "\(use.standardError)")
    }

    /// A pruned model distilled from the model it was pruned from keeps its widths.
    @Test(.fixtures(trainingData, Fixtures.officialWeights("zero-dce-epoch99.pth")))
    func distilsAPrunedModelAtItsWidths() throws {
        let data = try trainingSubset(count: 4), root = try makeTemporaryDirectory()
        defer { for url in [data, root] { try? FileManager.default.removeItem(at: url) } }
        let official = try Fixtures.require(Fixtures.officialWeights("zero-dce-epoch99.pth")).path
        let pruned = root.appendingPathComponent("pruned.safetensors"), run = root.appendingPathComponent("run")
        #expect(try runLumen(["prune", "zero-dce", "--weights", official, "-o", pruned.path, "--sparsity", "0.5"]).status == 0)
        let widths = try Safetensors.read(contentsOf: pruned).tensors.filter { $0.key.hasSuffix(".weight") && $0.key != "conv7.weight" }
            .mapValues { $0.shape.dimensions[0] }
        let both = try runLumen(["distill", "--teacher-weights", official, "--init", pruned.path, "--student-width", "8",
                                 "--data", data.path, "--out", run.path])
        #expect(both.status != 0 && both.standardError.contains("exclude each other"), "\(both.standardError)")
        let distilled = try runLumen(["distill", "--teacher-weights", official, "--init", pruned.path, "--data", data.path,
                                      "--out", run.path, "--batch-size", "2", "--size", "32"])
        #expect(distilled.status == 0, "\(distilled.standardError)")
        let result = try Safetensors.read(contentsOf: run.appendingPathComponent("zero-dce.safetensors")).tensors
        #expect(result.filter { widths.keys.contains($0.key) }.mapValues { $0.shape.dimensions[0] } == widths)
    }

    @Test func badRequestsAreRefusedBeforeAnythingIsWritten() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = root.appendingPathComponent("run")
        let missing = root.appendingPathComponent("missing.safetensors").path
        let cases: [([String], String)] = [
            (["--student", "sci"], "the student is zero-dce so far, not sci"),
            (["--student-width", "0"], "--student-width must be in 1...256"),
            (["--distillation-weight=-1"], "--distillation-weight must be a finite number at least 0"),
            (["--teacher-weights", missing], "missing.safetensors"),
            (["--data", root.appendingPathComponent("absent").path], "absent: not a folder"),
        ]
        for (extra, message) in cases {
            let result = try runLumen(["distill", "--data", root.path, "--out", run.path] + extra)
            #expect(result.status != 0 && result.standardError.contains(message), "\(extra): \(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: run.path), "\(extra): nothing is written")
        }
    }
}
