import ArgumentParser
import Foundation
import Lumen
import LumenTensor
import LumenNN
import LumenTraining

/// `lumen train`'s options for the GAN recipes (gan-paired, cyclegan, enlighten-gan).
struct GANTrainingOptions: ParsableArguments {
    @Option(help: "cyclegan and enlighten-gan: folder of normally exposed photos, unpaired with the dark ones of --data.")
    var normal: String?

    @Option(help: "GANs: the adversarial loss, \(AdversarialLoss.allCases.map(\.rawValue).joined(separator: ", ")) (default: lsgan).")
    var adversarialLoss: AdversarialLoss = .lsgan

    @Option(help: "GANs: discriminator updates per generator update.")
    var dSteps: Int = 1

    @Option(help: "GANs: the discriminators' learning rate over the generators' (4 for the two time-scale rule).")
    var dLrRatio: Float = 1

    @Option(help: "GANs: the weight of the adversarial loss (default: 0.01 for gan-paired, 1 for the unpaired ones).")
    var adversarialWeight: Float?

    @Option(help: "Progressive resizing: crop sizes in turn, each for an equal share of the epochs, e.g. 64,128,256 (the last replaces --size).")
    var progressive: ProgressiveSizes?

    @Option(help: "gan-paired and enlighten-gan: VGG19 weights for the perceptual term (torchvision's vgg19-dcbb9e9d.pth; none ship with Lumen).")
    var perceptualWeights: String?

    @Option(help: "Also write previews of the fixed inputs every this many steps.")
    var previewEvery: Int?

    /// The recipe options these flags describe.
    var adversarial: AdversarialOptions {
        var options = AdversarialOptions()
        options.loss = adversarialLoss
        options.discriminatorSteps = dSteps
        options.discriminatorLearningRateRatio = dLrRatio
        if let adversarialWeight { options.adversarialWeight = adversarialWeight }
        return options
    }

    /// Whether any GAN-only flag was given.
    var anyGiven: Bool {
        normal != nil || adversarialLoss != .lsgan || dSteps != 1 || dLrRatio != 1 || adversarialWeight != nil
            || perceptualWeights != nil
    }

    /// Checks the flags for `kind` training at crop `sizes`.
    func validate(kind: GANModelKind, sizes: [Int]) throws {
        guard (1...100).contains(dSteps) else { throw ValidationError("--d-steps must be in 1...100, got \(dSteps)") }
        guard dLrRatio > 0 && dLrRatio.isFinite else { throw ValidationError("--d-lr-ratio must be a positive number, got \(dLrRatio)") }
        if let adversarialWeight, !(adversarialWeight >= 0 && adversarialWeight.isFinite) {
            throw ValidationError("--adversarial-weight must be a non-negative number, got \(adversarialWeight)")
        }
        if perceptualWeights != nil && !kind.usesPerceptualFeatures {
            throw ValidationError("--perceptual-weights is for gan-paired and enlighten-gan; \(kind.rawValue) has no perceptual term")
        }
        // Two stride-2 stages in the ResNet generator; three poolings in the attention U-Net,
        // whose global discriminator's four stride-2 stages need 64 pixels.
        let (multiple, smallest) = kind == .enlightenGAN ? (8, 64) : (4, 32)
        for size in sizes where size % multiple != 0 || size < smallest {
            throw ValidationError("\(kind.rawValue) crops must be multiples of \(multiple) and at least \(smallest) pixels, got \(size)")
        }
    }

    /// VGG19 with the `--perceptual-weights` file imported, or `nil` without the flag.
    /// - Throws: naming the file, when it is not VGG19's.
    func perceptualFeatures() throws -> VGG19Features? {
        guard let perceptualWeights else { return nil }
        var generator = SplitMix64(seed: 0)
        let features = VGG19Features(using: &generator)
        try WeightsFile.read(URL(fileURLWithPath: perceptualWeights)).load(into: features, modelName: "vgg19")
        return features
    }
}

/// `--progressive`: crop sizes separated by commas, at least two.
struct ProgressiveSizes: ExpressibleByArgument {
    let sizes: [Int]

    init?(argument: String) {
        let sizes = argument.split(separator: ",").map { Int($0) }
        guard sizes.count >= 2, sizes.allSatisfy({ $0 != nil && (16...4096).contains($0!) }) else { return nil }
        self.sizes = sizes.map { $0! }
    }
}

extension AdversarialLoss: ExpressibleByArgument {}
