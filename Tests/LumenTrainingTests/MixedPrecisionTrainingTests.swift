import Foundation
import Lumen
import LumenIO
import LumenNN
import LumenTensor
import LumenTestSupport
import LumenTraining
import Testing

/// bf16 training runs: exact resume with the loss scaler, skipped overflowing
/// steps, and losses that follow float32's.
@Suite(.tags(.slow)) struct MixedPrecisionTrainingTests {
    private func options(_ data: URL, _ run: URL, epochs: Int, precision: TrainingPrecision = .bfloat16,
                         scaler: LossScaler? = LossScaler(scale: 256, growthInterval: 2), resume: Bool = false) -> TrainingOptions {
        var options = TrainingOptions(data: .images(data), runDirectory: run, epochs: epochs, batchSize: 4, learningRate: 1e-3,
                                      size: 32, seed: 5, resume: resume, checkpointInterval: 100, previewCount: 1)
        options.precision = precision
        options.lossScaling = scaler
        return options
    }

    private func weights(_ url: URL) throws -> [String: [Float]] {
        try Safetensors.read(contentsOf: url).tensors.mapValues(\.scalars)
    }

    /// The training records of a run's `losses.jsonl`.
    private func trainRecords(_ run: URL) throws -> [[String: Any]] {
        try String(contentsOf: run.appendingPathComponent("losses.jsonl"), encoding: .utf8).split(separator: "\n")
            .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["phase"] as? String == "train" }
    }

    @Test(.fixtures(trainingData)) func aBFloat16RunResumesExactlyAndFollowsFloat32() throws {
        let data = try trainingSubset(count: 12)
        let whole = try makeTemporaryDirectory(), split = try makeTemporaryDirectory(), float = try makeTemporaryDirectory()
        defer { for url in [data, whole, split, float] { try? FileManager.default.removeItem(at: url) } }
        _ = try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 3), options: options(data, whole, epochs: 2)) { _ in }.run()
        var steps = 0
        _ = try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 3), options: options(data, split, epochs: 2)) { _ in }
            .run(shouldStop: { steps += 1; return steps == 4 })
        let checkpoint = try Safetensors.read(contentsOf: split.appendingPathComponent("checkpoint.safetensors"))
        #expect(checkpoint.tensors["trainer.scale"]?.scalars == [1024], "256, doubled after steps 2 and 4")
        _ = try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 8), options: options(data, split, epochs: 2, resume: true)) { _ in }.run()
        #expect(try weights(whole.appendingPathComponent("zero-dce.safetensors"))
                == weights(split.appendingPathComponent("zero-dce.safetensors")))
        let records = try trainRecords(whole)
        #expect(records.count == 6 && (records.last?["metrics"] as? [String: Double])?["loss_scale"] == 2048)

        // The same run in float32: each step's loss within 2%.
        _ = try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 3),
                        options: options(data, float, epochs: 2, precision: .float32, scaler: nil)) { _ in }.run()
        for (a, b) in zip(records, try trainRecords(float)) {
            let (mixed, single) = (a["total"] as! Double, b["total"] as! Double)
            #expect(Swift.abs(mixed - single) < 0.02 * single, "step \(a["globalStep"]!): \(mixed) in bf16, \(single) in fp32")
        }

        // A resume must keep the precision.
        let changed = #expect(throws: TrainingError.self) {
            try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 3),
                        options: options(data, split, epochs: 3, precision: .float32, scaler: nil, resume: true)) { _ in }.run()
        }
        #expect("\(String(describing: changed))".contains("precision"))
    }

    @Test(.fixtures(trainingData)) func overflowingStepsAreSkippedAndTheScaleHalved() throws {
        let data = try trainingSubset(count: 12), run = try makeTemporaryDirectory()
        defer { for url in [data, run] { try? FileManager.default.removeItem(at: url) } }
        let recipe = CurveEstimationRecipe(.zeroDCE, seed: 4)
        let initial = recipe.network.stateDict().map { ($0.key, $0.tensor.scalars) }
        // 2^127 times any gradient of order one is past float32's largest value.
        let overflowing = options(data, run, epochs: 1, scaler: LossScaler(scale: 0x1p127, growthInterval: 1000))
        var steps = 0
        _ = try Trainer(recipe: recipe, options: overflowing) { _ in }.run(shouldStop: { steps += 1; return steps == 1 })
        let first = try #require(try trainRecords(run).first?["metrics"] as? [String: Double])
        #expect(first["skipped_steps"] == 1 && first["loss_scale"] == 0x1p126)
        #expect(recipe.network.stateDict().map { ($0.key, $0.tensor.scalars) }.elementsEqual(initial) { $0 == $1 },
                "a skipped step leaves the weights as they were")
        _ = try Trainer(recipe: CurveEstimationRecipe(.zeroDCE, seed: 4),
                        options: options(data, run, epochs: 1, scaler: nil, resume: true)) { _ in }.run()
        let last = try #require(try trainRecords(run).last?["metrics"] as? [String: Double])
        #expect(last["skipped_steps"]! >= 1 && last["loss_scale"]! < 0x1p126, "\(last)")
        #expect(try weights(run.appendingPathComponent("zero-dce.safetensors")).values.allSatisfy { $0.allSatisfy(\.isFinite) })
    }
}
