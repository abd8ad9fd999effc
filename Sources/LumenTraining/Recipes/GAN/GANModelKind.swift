import Lumen

/// The GAN training recipes `lumen train` offers.
public enum GANModelKind: String, CaseIterable, Sendable {
    /// Paired low-light enhancement: ResNet generator, conditional PatchGAN, L1 + SSIM + adversarial.
    case paired = "gan-paired"
    /// CycleGAN on unpaired dark and normal photos.
    case cycleGAN = "cyclegan"
    /// EnlightenGAN-style: attention U-Net generator, global + local discriminators, unpaired.
    case enlightenGAN = "enlighten-gan"

    /// Whether it trains on two unpaired folders rather than pairs.
    public var isUnpaired: Bool { self != .paired }

    /// Whether the recipe has a perceptual term that VGG19 weights switch on.
    public var usesPerceptualFeatures: Bool { self != .cycleGAN }

    /// A recipe with its networks initialised from `seed`.
    /// - Parameter perceptual: VGG19 with imported weights, for the perceptual term
    ///   (``usesPerceptualFeatures``); `nil` leaves it out.
    public func makeRecipe(seed: UInt64, adversarial: AdversarialOptions, perceptual: VGG19Features? = nil) -> any AdversarialRecipe {
        precondition(perceptual == nil || usesPerceptualFeatures, "\(rawValue) has no perceptual term")
        switch self {
        case .paired: return PairedGANRecipe(seed: seed, adversarial: adversarial, perceptual: perceptual)
        case .cycleGAN: return CycleGANRecipe(seed: seed, adversarial: adversarial)
        case .enlightenGAN: return EnlightenGANRecipe(seed: seed, adversarial: adversarial, perceptual: perceptual)
        }
    }
}

extension AdversarialRecipe {
    /// Pairs (or photos to darken) for the paired GAN; two unpaired folders for the others.
    func dataProblem(_ data: TrainingDataSource, unpaired: Bool) -> String? {
        switch (unpaired, data) {
        case (true, .unpaired), (false, .pairs), (false, .synthesized): return nil
        case (true, _): return "learns from two unpaired folders: give --data DIR of dark photos and --normal DIR of normal ones"
        case (false, _): return "learns from pairs: give --pairs DIR, or --synthesize DIR with normally exposed photos"
        }
    }
}
