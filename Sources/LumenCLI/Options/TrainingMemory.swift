import ArgumentParser
import Foundation
import Lumen

/// What a training step needs in memory, estimated before any allocation, so that
/// `--size 4096` is refused with the estimate instead of being killed by the kernel.
///
/// A step's peak memory grows with the pixels of a batch, `batch · size²`: every
/// activation and its gradient are kept for the backward pass. The bytes per pixel
/// were measured with `/usr/bin/time -v lumen bench train --model M --batch 2 --size S`
/// at S = 256 and 512 (peak resident memory, slope between the two), and rounded up.
enum TrainingMemory {
    /// The largest crop side `lumen train` takes.
    static let maximumSize = 4096

    /// Peak bytes per batch pixel of one training step.
    static func bytesPerPixel(_ model: ModelKind) -> Double {
        switch model {
        case .zeroDCE: 2_400
        case .zeroDCEPlusPlus: 900
        case .sci: 3_600
        case .gainUNet: 1_900
        case .parametric: 120
        }
    }

    /// The estimated peak memory of a step, in bytes.
    static func estimate(model: ModelKind, batchSize: Int, size: Int) -> Double {
        Double(batchSize) * Double(size) * Double(size) * bytesPerPixel(model)
    }

    /// Refuses a step that would need more than 90% of this machine's memory.
    static func check(model: ModelKind, batchSize: Int, size: Int) throws {
        let needed = estimate(model: model, batchSize: batchSize, size: size)
        let available = Double(ProcessInfo.processInfo.physicalMemory) * 0.9
        guard needed > available else { return }
        let fitting = Int((available / (Double(size) * Double(size) * bytesPerPixel(model))).rounded(.down))
        let advice = fitting >= 1 ? "--batch-size \(fitting) or less" : "a smaller --size"
        throw ValidationError(String(format: "a %@ step at --batch-size %d --size %d needs about %.1f GiB, more than this machine's %.1f GiB: use %@",
                                     model.rawValue, batchSize, size, needed / 1_073_741_824,
                                     Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824, advice))
    }
}
