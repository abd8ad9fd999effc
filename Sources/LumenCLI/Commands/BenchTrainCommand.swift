import ArgumentParser
import Foundation
import Lumen
import LumenNN
import LumenTensor
import LumenTraining

/// `lumen bench train`: seconds per training step at the official settings.
///
/// One step is what `lumen train` does per batch: forward, loss, backward,
/// gradient clipping and the Adam update, on a random batch (uniform in
/// [0, 0.5], like a low-light photo; the time does not depend on the values).
/// A GAN step is a generator update and a discriminator update. Compare with
/// `../shared/tools/peers/bench_train.py` and, for the GANs, `scripts/bench/gan.py`.
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Time one training step (forward, loss, backward, clipping, Adam).",
        discussion: """
            Defaults are the official settings: Zero-DCE and Zero-DCE++ batch 8 at 256x256, \
            SCI (three-stage training network) batch 1 at 600x400; the GANs batch 4 at 128x128.
            """)

    @Option(help: "The model: \(BenchTrainModel.allNames.joined(separator: ", ")).")
    var model: BenchTrainModel = .enhancement(.zeroDCE)

    @Option(help: "GANs: the adversarial loss (default: lsgan).")
    var adversarialLoss: AdversarialLoss = .lsgan

    @Option(help: "Images per batch (default: 8, SCI 1, GANs 4).")
    var batch: Int?

    @Option(help: "Image size, WIDTHxHEIGHT (default: 256x256, SCI 600x400, GANs 128x128).")
    var size: BenchImageSize?

    @Option(help: "The arithmetic of the step: fp32, or bf16 mixed precision (as lumen train --precision).")
    var precision: TrainingPrecision = .float32

    @Option(help: "Untimed steps before timing.")
    var warmup: Int = 1

    @Option(help: "Timed steps; the median is reported.")
    var repeats: Int = 3

    @Flag(help: "Print one JSON line instead of text.")
    var json = false

    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        if let batch, !(1...4096).contains(batch) { throw ValidationError("--batch must be in 1...4096") }
        if let size, min(size.width, size.height) < 16 || max(size.width, size.height) > TrainingMemory.maximumSize {
            throw ValidationError("--size must be 16 to \(TrainingMemory.maximumSize) pixels a side, as lumen train's crops")
        }
        let (width, height) = imageSize
        try TrainingMemory.check(model: model.trainable, batchSize: batchSize, pixels: width * height,
                                 sizeDescription: "--size \(width)x\(height)", batchFlag: "--batch")
        guard warmup >= 0, repeats >= 1 else { throw ValidationError("--warmup must be >= 0 and --repeats >= 1") }
    }

    private var batchSize: Int {
        batch ?? { switch model { case .enhancement(.sci): 1; case .enhancement: 8; case .gan: 4 } }()
    }
    private var imageSize: (width: Int, height: Int) {
        size.map { ($0.width, $0.height) }
            ?? { switch model { case .enhancement(.sci): (600, 400); case .enhancement: (256, 256); case .gan: (128, 128) } }()
    }

    func run() throws {
        runtime.apply()
        let (width, height) = imageSize
        let trainable = model.trainable
        var adversarial = AdversarialOptions()
        adversarial.loss = adversarialLoss
        let recipe = try trainable.makeRecipe(scale: 3, seed: 1, adversarial: adversarial)
        var optimizer = recipe.makeOptimizer(learningRate: trainable.defaultLearningRate)
        var generator = SplitMix64(seed: 2)
        let images = Tensor(shape: [batchSize, 3, height, width]) { buffer in
            for i in buffer.indices { buffer[i] = Float.random(in: 0...0.5, using: &generator) }
        }
        // Supervised models learn to double the input; the target's values do not change the timing.
        let batch = TrainingBatch(input: images, target: recipe.isSupervised ? withoutGradients { (images * 2).clamped(min: 0, max: 1) } : nil)
        var seconds: [Double] = []
        var scaler = precision.initialScaler
        var peakBytes = 0
        for run in 0..<(warmup + repeats) {
            TensorMemory.resetPeak()
            let start = Date()
            _ = precision.run { recipe.trainingStep(batch, step: 0, optimizer: &optimizer, scaler: &scaler) }
            if run >= warmup { seconds.append(Date().timeIntervalSince(start)) }
            peakBytes = max(peakBytes, TensorMemory.peakBytes)
        }
        let median = seconds.sorted()[seconds.count / 2]
        let peakMiB = Double(peakBytes) / 1_048_576
        if json {
            print("{\"engine\":\"lumen\",\"model\":\"\(model)\",\"batch\":\(batchSize),\"width\":\(width),"
                  + "\"height\":\(height),\"threads\":\(Runtime.threadCount),\"precision\":\"\(precision.rawValue)\","
                  + "\"seconds_per_step\":\(median),\"peak_tensor_mib\":\(peakMiB)}")
        } else {
            print("\(model) batch \(batchSize) \(width)x\(height), \(Runtime.threadCount) threads, \(precision.rawValue): "
                  + String(format: "%.3f s per step (median of %d), peak tensor memory %.1f MiB", median, repeats, peakMiB))
        }
    }
}

/// A model `lumen bench train` times: an enhancement model or a GAN recipe.
enum BenchTrainModel: ExpressibleByArgument, CustomStringConvertible {
    case enhancement(ModelKind)
    case gan(GANModelKind)

    init?(argument: String) {
        if let kind = GANModelKind(rawValue: argument) { self = .gan(kind) }
        else if let kind = ModelKind(rawValue: argument) { self = .enhancement(kind) }
        else { return nil }
    }

    static var allNames: [String] {
        let names = ModelKind.allCases.map(\.rawValue)
        return names + GANModelKind.allCases.map(\.rawValue).filter { !names.contains($0) }
    }

    var trainable: TrainableModel {
        switch self {
        case .enhancement(let kind): .enhancement(kind)
        case .gan(let kind): .gan(kind)
        }
    }

    var description: String { trainable.description }
}
