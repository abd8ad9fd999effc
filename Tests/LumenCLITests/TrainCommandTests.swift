import Foundation
import Lumen
import LumenIO
import LumenTestSupport
import LumenTraining
import Testing

/// `lumen train` as a user runs it: artefacts, resume, Ctrl-C, and a kill during a checkpoint write.
@Suite(.tags(.endToEnd, .slow)) struct TrainCommandTests {
    private func train(_ data: URL, _ run: URL, epochs: Int, extra: [String] = []) throws -> LumenRun {
        try runLumen(["train", "zero-dce-pp", "--data", data.path, "--out", run.path, "--epochs", String(epochs),
                      "--batch-size", "2", "--size", "32", "--seed", "3"] + extra)
    }

    @Test(.fixtures(trainingData))
    func writesEveryArtefactAndResumesExactly() throws {
        let data = try trainingSubset(count: 6), whole = try makeTemporaryDirectory(), split = try makeTemporaryDirectory()
        defer { for url in [data, whole, split] { try? FileManager.default.removeItem(at: url) } }
        let full = try train(data, whole, epochs: 2)
        #expect(full.status == 0, "\(full.standardError)")
        for name in ["checkpoint.safetensors", "losses.jsonl", "loss-curve.png", "zero-dce-pp.safetensors",
                     "previews/epoch-001.png", "previews/epoch-002.png"] {
            #expect(FileManager.default.fileExists(atPath: whole.appendingPathComponent(name).path), "\(name)")
        }
        #expect(full.standardError.contains("epoch 2/2") && full.standardError.contains("loss"))
        #expect(full.standardError.contains("img/s") && full.standardError.contains("ETA"))

        #expect(try train(data, split, epochs: 1).status == 0)
        let resumed = try train(data, split, epochs: 2, extra: ["--resume"])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let a = try Safetensors.read(contentsOf: whole.appendingPathComponent("zero-dce-pp.safetensors")).tensors
        let b = try Safetensors.read(contentsOf: split.appendingPathComponent("zero-dce-pp.safetensors")).tensors
        #expect(a.mapValues(\.scalars) == b.mapValues(\.scalars))

        let enhanced = whole.appendingPathComponent("lit.png")
        let sample = Fixtures.packageRoot.appendingPathComponent("Resources/samples/astronaut-dark.jpg")
        let use = try runLumen(["enhance", sample.path, "-o", enhanced.path, "--weights",
                                whole.appendingPathComponent("zero-dce-pp.safetensors").path])
        #expect(use.status == 0, "\(use.standardError)")
    }

    @Test(.fixtures(trainingData, Fixtures.officialWeights("zero-dce-epoch99.pth")))
    func fineTunesFromTheOfficialCheckpoint() throws {
        let data = try trainingSubset(count: 4), tuned = try makeTemporaryDirectory(), scratch = try makeTemporaryDirectory()
        defer { for url in [data, tuned, scratch] { try? FileManager.default.removeItem(at: url) } }
        let official = try Fixtures.require(Fixtures.officialWeights("zero-dce-epoch99.pth"))
        func firstLoss(_ run: URL, _ extra: [String]) throws -> Double {
            let result = try runLumen(["train", "zero-dce", "--data", data.path, "--out", run.path, "--epochs", "1",
                                       "--batch-size", "2", "--size", "64"] + extra)
            #expect(result.status == 0, "\(result.standardError)")
            let first = try #require(String(contentsOf: run.appendingPathComponent("losses.jsonl"), encoding: .utf8)
                .split(separator: "\n").first)
            return try JSONDecoder().decode(LossRecord.self, from: Data(first.utf8)).total
        }
        // Started from trained weights, the first step's loss is well below a random start's.
        let fromOfficial = try firstLoss(tuned, ["--init", official.path])
        let fromScratch = try firstLoss(scratch, [])
        #expect(fromOfficial < fromScratch * 0.8, "first loss \(fromOfficial) fine-tuning, \(fromScratch) from scratch")
    }

    /// `lumen prune --sparsity` then `lumen train --init`: the run trains at the pruned
    /// widths, and its weights enhance a photo.
    @Test(.fixtures(trainingData, Fixtures.officialWeights("zero-dce-epoch99.pth")))
    func fineTunesAPrunedModelAtItsWidths() throws {
        let data = try trainingSubset(count: 4), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        let official = try Fixtures.require(Fixtures.officialWeights("zero-dce-epoch99.pth"))
        let pruned = run.appendingPathComponent("pruned.safetensors")
        let prune = try runLumen(["prune", "zero-dce", "--weights", official.path, "-o", pruned.path, "--sparsity", "0.3"])
        #expect(prune.status == 0, "\(prune.standardError)")
        let out = run.appendingPathComponent("run")
        let train = try runLumen(["train", "zero-dce", "--data", data.path, "--out", out.path, "--epochs", "1",
                                  "--batch-size", "2", "--size", "64", "--init", pruned.path])
        #expect(train.status == 0, "\(train.standardError)")
        let tuned = out.appendingPathComponent("zero-dce.safetensors")
        #expect(try ZeroDCE.widths(ofWeightsAt: tuned) == [19, 19, 20, 17, 19, 19])
        #expect(try Safetensors.read(contentsOf: tuned).tensors["conv1.weight"]?.scalars
                != Safetensors.read(contentsOf: pruned).tensors["conv1.weight"]?.scalars, "the weights moved")
        let sample = Fixtures.packageRoot.appendingPathComponent("Resources/samples/astronaut-dark.jpg")
        let use = try runLumen(["enhance", sample.path, "-o", run.appendingPathComponent("lit.png").path,
                                "--model", "zero-dce", "--weights", tuned.path])
        #expect(use.status == 0, "\(use.standardError)")
    }

    @Test(.fixtures(trainingData))
    func interruptSavesACheckpointAndAKillNeverCorruptsIt() throws {
        let data = try trainingSubset(count: 8), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        let checkpoint = run.appendingPathComponent("checkpoint.safetensors")
        // Kill the process (SIGKILL) at different moments while it checkpoints every step.
        for delay in [0.8, 1.1, 1.4] {
            let process = try startLumen(["train", "zero-dce-pp", "--data", data.path, "--out", run.path, "--epochs", "50",
                                          "--batch-size", "2", "--size", "32", "--checkpoint-every", "1"]
                                         + (FileManager.default.fileExists(atPath: checkpoint.path) ? ["--resume"] : ["--overwrite"]))
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if FileManager.default.fileExists(atPath: checkpoint.path) {
                #expect(throws: Never.self) { _ = try TrainingCheckpoint.peek(checkpoint) }
            }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: run.path).filter { $0.contains(".tmp") }
            for name in leftovers { try FileManager.default.removeItem(at: run.appendingPathComponent(name)) }
        }
        // Ctrl-C once training runs (a step past the checkpoint is logged): a checkpoint, exit status 130.
        let resumedFrom = (try? TrainingCheckpoint.peek(checkpoint).position.globalStep) ?? 0
        let log = run.appendingPathComponent("losses.jsonl")
        try? FileManager.default.removeItem(at: log)  // a killed run may have logged past its checkpoint
        let status = try stopOnceTraining(data: data, run: run, resumingFrom: resumedFrom, with: SIGINT)
        #expect(status == 130)
        let (_, position) = try TrainingCheckpoint.peek(checkpoint)
        #expect(position.globalStep > resumedFrom)
    }

    /// SIGTERM (`docker stop`, systemd, `timeout`) used to kill a run without the checkpoint Ctrl-C writes.
    @Test(.fixtures(trainingData))
    func terminationSavesACheckpointLikeCtrlC() throws {
        let data = try trainingSubset(count: 8), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        let status = try stopOnceTraining(data: data, run: run, resumingFrom: 0, with: SIGTERM)
        #expect(status == 128 + SIGTERM)
        let (_, position) = try TrainingCheckpoint.peek(run.appendingPathComponent("checkpoint.safetensors"))
        #expect(position.globalStep > 0)
    }

    /// Starts a long run in `run`, sends `signal` once a step past `resumingFrom` is
    /// logged, and returns the exit status.
    private func stopOnceTraining(data: URL, run: URL, resumingFrom resumedFrom: Int, with signal: Int32) throws -> Int32 {
        let log = run.appendingPathComponent("losses.jsonl")
        let process = try startLumen(["train", "zero-dce-pp", "--data", data.path, "--out", run.path, "--epochs", "50",
                                      "--batch-size", "2", "--size", "32"] + (resumedFrom > 0 ? ["--resume"] : ["--overwrite"]))
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let steps = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n")
                .compactMap { try? JSONDecoder().decode(LossRecord.self, from: Data($0.utf8)).globalStep }.max() ?? 0
            if steps > resumedFrom { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test(.fixtures(trainingData))
    func trainsInBFloat16AndKeepsThePrecisionOnResume() throws {
        let data = try trainingSubset(count: 4), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        let first = try train(data, run, epochs: 1, extra: ["--precision", "bf16"])
        #expect(first.status == 0, "\(first.standardError)")
        let log = try String(contentsOf: run.appendingPathComponent("losses.jsonl"), encoding: .utf8)
        #expect(log.contains("\"loss_scale\":65536"), "\(log.prefix(400))")
        let changed = try train(data, run, epochs: 2, extra: ["--resume"])
        #expect(changed.status != 0 && changed.standardError.contains("precision"), "\(changed.standardError)")
        let resumed = try train(data, run, epochs: 2, extra: ["--resume", "--precision", "bf16"])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let critic = try runLumen(["train", "cyclegan", "--data", data.path, "--normal", data.path, "--out", run.path,
                                   "--precision", "bf16", "--adversarial-loss", "wgan-gp"])
        #expect(critic.status != 0 && critic.standardError.contains("second derivatives"), "\(critic.standardError)")
    }

    /// `lumen bench train` measures a step's peak tensor memory in its own process:
    /// bf16 stores the activations at half the bytes.
    @Test func aBFloat16StepHoldsLessMemory() throws {
        func peak(_ precision: String) throws -> Double {
            let result = try runLumen(["bench", "train", "--model", "zero-dce", "--batch", "2", "--size", "64x64",
                                       "--repeats", "1", "--precision", precision, "--json"])
            let json = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
            return try #require(json?["peak_tensor_mib"] as? Double, "\(result.standardOutput) \(result.standardError)")
        }
        let (single, mixed) = (try peak("fp32"), try peak("bf16"))
        #expect(mixed < 0.8 * single, "peak \(mixed) MiB in bf16, \(single) MiB in fp32")
    }

    @Test func badDataFolderIsNamed() throws {
        let empty = try makeTemporaryDirectory(), run = try makeTemporaryDirectory()
        defer { for url in [empty, run] { try? FileManager.default.removeItem(at: url) } }
        let folder = run.appendingPathComponent("sci")
        let result = try runLumen(["train", "sci", "--data", empty.path, "--out", folder.path])
        #expect(result.status != 0)
        #expect(result.standardError.contains(empty.lastPathComponent) && result.standardError.contains("no PNG, JPEG"))
        #expect(!FileManager.default.fileExists(atPath: folder.path), "data that cannot train leaves no run folder")
    }
}

/// `lumen train gain-unet|parametric` as a user runs it: pairs, on-the-fly
/// synthesis, validation, and pairs folders that do not fit.
@Suite(.tags(.endToEnd, .slow)) struct SupervisedTrainCommandTests {
    /// `lumen synth` pairs from the first `count` training photos.
    private func synthesizedPairs(_ count: Int) throws -> URL {
        let photos = try makeTemporaryDirectory("lumen-cli-normal"), pairs = try makeTemporaryDirectory("lumen-cli-pairs")
        defer { try? FileManager.default.removeItem(at: photos) }
        for url in Fixtures.files(in: try Fixtures.require(trainingData), withExtensions: ["jpg"]).prefix(count) {
            try FileManager.default.copyItem(at: url, to: photos.appendingPathComponent(url.lastPathComponent))
        }
        let synth = try runLumen(["synth", "--in", photos.path, "--out", pairs.path])
        #expect(synth.status == 0, "\(synth.standardError)")
        return pairs
    }

    @Test(.fixtures(trainingData))
    func trainsTheGainUNetOnPairsWithValidation() throws {
        let pairs = try synthesizedPairs(4), run = try makeTemporaryDirectory()
        defer { for url in [pairs, run] { try? FileManager.default.removeItem(at: url) } }
        let result = try runLumen(["train", "gain-unet", "--pairs", pairs.path, "--validate", pairs.path, "--out", run.path,
                                   "--epochs", "2", "--batch-size", "2", "--size", "32"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("epoch 2/2 done: validation PSNR"))
        for name in ["gain-unet.safetensors", "validation-curve.png", "loss-curve.png", "previews/epoch-002.png"] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(name).path), "\(name)")
        }
        let lit = run.appendingPathComponent("lit.png")
        let sample = Fixtures.packageRoot.appendingPathComponent("Resources/samples/astronaut-dark.jpg")
        let use = try runLumen(["enhance", sample.path, "-o", lit.path, "--model", "gain-unet",
                                "--weights", run.appendingPathComponent("gain-unet.safetensors").path])
        #expect(use.status == 0, "\(use.standardError)")
    }

    @Test(.fixtures(trainingData))
    func trainsTheParametricEnhancerOnPhotosDarkenedOnTheFly() throws {
        let photos = try Fixtures.require(trainingData), run = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: run) }
        let subset = try makeTemporaryDirectory("lumen-cli-normal")
        defer { try? FileManager.default.removeItem(at: subset) }
        for url in Fixtures.files(in: photos, withExtensions: ["jpg"]).prefix(4) {
            try FileManager.default.copyItem(at: url, to: subset.appendingPathComponent(url.lastPathComponent))
        }
        let result = try runLumen(["train", "parametric", "--synthesize", subset.path, "--ev-min", "-2", "--ev-max", "-1",
                                   "--out", run.path, "--epochs", "1", "--batch-size", "2", "--size", "32"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("parametric.safetensors").path))
    }

    @Test(.fixtures(trainingData))
    func badPairsFoldersAreNamed() throws {
        let pairs = try synthesizedPairs(3), run = try makeTemporaryDirectory()
        defer { for url in [pairs, run] { try? FileManager.default.removeItem(at: url) } }
        let names = try FileManager.default.contentsOfDirectory(atPath: pairs.appendingPathComponent("high").path).sorted()
        try FileManager.default.removeItem(at: pairs.appendingPathComponent("high").appendingPathComponent(names[0]))
        let unmatched = try runLumen(["train", "gain-unet", "--pairs", pairs.path, "--out", run.path, "--size", "32"])
        #expect(unmatched.status != 0)
        #expect(unmatched.standardError.contains(names[0]) && unmatched.standardError.contains("unmatched"), "\(unmatched.standardError)")

        // Replace the partner with an image of another size.
        let low = try Image(contentsOf: pairs.appendingPathComponent("low").appendingPathComponent(names[0]))
        try Image(width: low.width / 2, height: low.height, channels: 3, samples: Array(low.samples.prefix(low.samples.count / 2)))
            .write(to: pairs.appendingPathComponent("high").appendingPathComponent(names[0]), format: .png)
        let mismatched = try runLumen(["train", "gain-unet", "--pairs", pairs.path, "--out", run.path, "--size", "32"])
        #expect(mismatched.status != 0)
        #expect(mismatched.standardError.contains("low/\(names[0])") && mismatched.standardError.contains("high/\(names[0])"),
                "\(mismatched.standardError)")

        let photos = try runLumen(["train", "gain-unet", "--data", pairs.appendingPathComponent("low").path, "--out", run.path])
        #expect(photos.status != 0 && photos.standardError.contains("--pairs"))
    }
}
