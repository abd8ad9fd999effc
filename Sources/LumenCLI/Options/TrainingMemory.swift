import ArgumentParser
import Foundation
import Lumen
import LumenTraining

/// What a training step needs in memory, estimated before any allocation, so that
/// `--size 4096` is refused with the estimate instead of being killed by the kernel.
///
/// A step's peak memory grows with the pixels of a batch, `batch · size²`: every
/// activation and its gradient are kept for the backward pass. The bytes per pixel
/// were measured with `/usr/bin/time -f %M lumen bench train --model M --batch 2 --size SxS`
/// at S = 128 and 256 (the slope of the peak resident memory between the two; for
/// zero-dce 5,472 B, zero-dce-pp 5,363, sci 7,187, gain-unet 3,499, parametric 1,143),
/// rounded up; the fixed part (code, weights, buffers) is under 256 MiB.
enum TrainingMemory {
    /// The largest crop side `lumen train` takes.
    static let maximumSize = 4096

    /// Peak bytes per batch pixel of one training step.
    static func bytesPerPixel(_ model: ModelKind) -> Double {
        switch model {
        case .zeroDCE: 5_600
        case .zeroDCEPlusPlus: 5_500
        case .sci: 7_300
        case .gainUNet: 3_600
        case .parametric: 1_200
        case .enlightenGAN: bytesPerPixel(GANModelKind.enlightenGAN)
        case .ganPaired: bytesPerPixel(GANModelKind.paired)
        }
    }

    /// Peak bytes per pixel of a restoration model's training crop, estimated (not
    /// measured) as three times the activations a crop pixel keeps for the backward pass:
    /// ESPCN's 105 feature channels at 1/scale² of the crop's pixels (at most ×2), the
    /// 10 x 32 channels of Lumen's DnCNN, the auto-encoder's 32 + 64 channels at 1/4 and 1/16.
    static func bytesPerPixel(_ model: RestorationModelKind) -> Double {
        switch model {
        case .espcn: 1_300
        case .dncnn: 8_000
        case .denoiseAE: 1_000
        }
    }

    /// Peak bytes per pixel of a GAN step, estimated (not measured) from the
    /// activations its passes keep: a ResNet generator of base width 32 keeps about
    /// 1,000 floats per input pixel, run once in gan-paired (plus its conditional
    /// discriminator) and six times in cyclegan; the attention U-Net of base 16
    /// about 500, plus the global and local discriminators.
    static func bytesPerPixel(_ model: GANModelKind) -> Double {
        switch model {
        case .paired: 12_000
        case .cycleGAN: 30_000
        case .enlightenGAN: 8_000
        }
    }

    /// The estimated peak memory of a step on `batchSize` images of `pixels` each, in bytes.
    static func estimate(model: ModelKind, batchSize: Int, pixels: Int) -> Double {
        fixedBytes + Double(batchSize) * Double(pixels) * bytesPerPixel(model)
    }

    /// ``check(model:batchSize:pixels:sizeDescription:batchFlag:)`` for any trainable model.
    static func check(model: TrainableModel, batchSize: Int, pixels: Int, sizeDescription: String, batchFlag: String) throws {
        switch model {
        case .enhancement(let kind):
            try check(model: kind, batchSize: batchSize, pixels: pixels, sizeDescription: sizeDescription, batchFlag: batchFlag)
        case .restoration(let kind):
            try check(name: kind.rawValue, bytesPerPixel: bytesPerPixel(kind), batchSize: batchSize, pixels: pixels,
                      sizeDescription: sizeDescription, batchFlag: batchFlag)
        case .gan(let kind):
            try check(name: kind.rawValue, bytesPerPixel: bytesPerPixel(kind), batchSize: batchSize, pixels: pixels,
                      sizeDescription: sizeDescription, batchFlag: batchFlag)
        case .matting:
            try check(name: MattingUNet.modelName, bytesPerPixel: mattingBytesPerPixel, batchSize: batchSize, pixels: pixels,
                      sizeDescription: sizeDescription, batchFlag: batchFlag)
        }
    }

    /// Peak bytes per pixel of a matting step, estimated (not measured): the seed's
    /// front end keeps 32 channels through 18 convolutions at full size (about 1,200
    /// floats a pixel), the U-Net about 300 more.
    static let mattingBytesPerPixel = 8_000.0

    /// Code, weights and buffers, whatever the batch.
    static let fixedBytes = 256.0 * 1_048_576

    /// Refuses a step that would need more than the ``MemoryBudget``.
    /// - Parameters:
    ///   - sizeDescription: the size as the user gave it, for the message (`--size 4096`).
    ///   - batchFlag: the command's batch-size flag, for the advice.
    static func check(model: ModelKind, batchSize: Int, pixels: Int, sizeDescription: String, batchFlag: String) throws {
        try check(name: model.rawValue, bytesPerPixel: bytesPerPixel(model), batchSize: batchSize, pixels: pixels,
                  sizeDescription: sizeDescription, batchFlag: batchFlag)
    }

    private static func check(name: String, bytesPerPixel: Double, batchSize: Int, pixels: Int, sizeDescription: String,
                              batchFlag: String) throws {
        let needed = fixedBytes + Double(batchSize) * Double(pixels) * bytesPerPixel
        guard needed > MemoryBudget.usableBytes else { return }
        let fitting = Int(((MemoryBudget.usableBytes - fixedBytes) / (Double(pixels) * bytesPerPixel)).rounded(.down))
        let advice = fitting >= 1 ? "\(batchFlag) \(fitting) or less" : "a smaller size"
        throw ValidationError(String(format: "a %@ training step at %@ %d, %@ needs about %.1f GiB, more than this machine's %.1f GiB: use %@",
                                     name, batchFlag, batchSize, sizeDescription, MemoryBudget.gibibytes(needed),
                                     MemoryBudget.gibibytes(MemoryBudget.physicalBytes), advice))
    }
}
