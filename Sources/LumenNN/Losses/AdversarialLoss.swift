import LumenTensor

/// The objective a discriminator (or critic) and a generator play, as pure
/// functions of the discriminator's raw outputs (logits or scores, any shape,
/// PatchGAN maps included; every loss is a mean over all outputs).
///
/// With `real = D(x)` and `fake = D(G(z))`, and `bce(z, t)` binary cross-entropy
/// with logits, computed stably as `max(z, 0) − z·t + log(1 + e^−|z|)`:
///
/// | loss | discriminator | generator |
/// |---|---|---|
/// | `vanilla` | `bce(real, 1) + bce(fake, 0)` | `bce(fake, 1)` (non-saturating) |
/// | `lsgan` | `(real − 1)² + fake²` | `(fake − 1)²` |
/// | `relativistic` | `bce(real − E[fake], 1) + bce(fake − E[real], 0)` | `bce(real − E[fake], 0) + bce(fake − E[real], 1)` |
/// | `wgan-gp` | `fake − real` (plus ``gradientPenalty(critic:real:fake:weight:using:)``) | `−fake` |
/// | `hinge` | `relu(1 − real) + relu(1 + fake)` | `−fake` |
///
/// The relativistic average form is ESRGAN's (Wang et al. 2018, eq. 1-2), as
/// written in the paper; BasicSR halves both of its terms. LSGAN is written
/// without CycleGAN's 0.5 on the discriminator's sum. Discriminators end in
/// logits, never a sigmoid: the seeds' sigmoid before `BCELoss` saturates and
/// loses the gradient.
public enum AdversarialLoss: String, Sendable, CaseIterable, Codable {
    case vanilla
    case lsgan
    case relativistic
    case wganGP = "wgan-gp"
    case hinge

    /// The discriminator's loss from its outputs on real and on generated images.
    public func discriminatorLoss(real: Tensor, fake: Tensor) -> Tensor {
        switch self {
        case .vanilla: return binaryCrossEntropyWithLogits(real, target: 1) + binaryCrossEntropyWithLogits(fake, target: 0)
        case .lsgan: return (real - 1).squared().mean() + fake.squared().mean()
        case .relativistic:
            return binaryCrossEntropyWithLogits(real - fake.mean(), target: 1)
                + binaryCrossEntropyWithLogits(fake - real.mean(), target: 0)
        case .wganGP: return fake.mean() - real.mean()
        case .hinge: return (1 - real).relu().mean() + (1 + fake).relu().mean()
        }
    }

    /// The generator's loss from the discriminator's outputs on generated images
    /// (and on real ones, which only the relativistic loss uses; pass them detached).
    public func generatorLoss(real: Tensor, fake: Tensor) -> Tensor {
        switch self {
        case .vanilla: return binaryCrossEntropyWithLogits(fake, target: 1)
        case .lsgan: return (fake - 1).squared().mean()
        case .relativistic:
            return binaryCrossEntropyWithLogits(real - fake.mean(), target: 0)
                + binaryCrossEntropyWithLogits(fake - real.mean(), target: 1)
        case .wganGP, .hinge: return -fake.mean()
        }
    }

    /// The fractions of real outputs the discriminator calls real and of fake
    /// outputs it calls fake. The boundary is 0 for logits (`vanilla`, `hinge`),
    /// 0.5 for `lsgan`, and for the relative losses (`relativistic`, `wgan-gp`) a
    /// real output must exceed the mean fake one and a fake output stay below the
    /// mean real one.
    public func discriminatorAccuracy(real: Tensor, fake: Tensor) -> (real: Double, fake: Double) {
        let realValues = real.scalars, fakeValues = fake.scalars
        let (realBoundary, fakeBoundary): (Float, Float)
        switch self {
        case .vanilla, .hinge: (realBoundary, fakeBoundary) = (0, 0)
        case .lsgan: (realBoundary, fakeBoundary) = (0.5, 0.5)
        case .relativistic, .wganGP:
            (realBoundary, fakeBoundary) = (mean(fakeValues), mean(realValues))
        }
        let realCorrect = realValues.filter { $0 > realBoundary }.count
        let fakeCorrect = fakeValues.filter { $0 < fakeBoundary }.count
        return (Double(realCorrect) / Double(Swift.max(realValues.count, 1)),
                Double(fakeCorrect) / Double(Swift.max(fakeValues.count, 1)))
    }

    private func mean(_ values: [Float]) -> Float {
        values.isEmpty ? 0 : Float(values.reduce(0.0) { $0 + Double($1) } / Double(values.count))
    }
}

/// Binary cross-entropy of logits `z` against a constant target `t`, averaged:
/// `max(z, 0) − z·t + log(1 + e^−|z|)`, stable for any `z` (PyTorch's
/// `F.binary_cross_entropy_with_logits`).
public func binaryCrossEntropyWithLogits(_ logits: Tensor, target: Float) -> Tensor {
    (logits.relu() - logits * target + ((-logits.abs()).exp() + 1).log()).mean()
}

/// WGAN-GP's gradient penalty (Gulrajani et al. 2017):
/// `weight · E[(‖∇_x̂ D(x̂)‖₂ − 1)²]` at `x̂ = ε·real + (1 − ε)·fake`, one `ε ~ U(0, 1)`
/// per sample.
///
/// The norm is taken **per sample**, over all of its channels and pixels, of the
/// gradient of that sample's score, the mean of the critic's outputs for it (a
/// PatchGAN map averages to one score, the value the Wasserstein loss uses). That
/// is the paper's constraint: the critic is 1-Lipschitz as a function of a whole
/// image. Per-pixel or per-patch norms would constrain a different function, and
/// differentiating the *sum* of a patch map (pix2pix's `grad_outputs=ones`)
/// scales the target with the number of patches, so it would change when the
/// image size does (progressive resizing). `1e-12` under the square root keeps
/// the norm differentiable where the gradient vanishes. Needs a critic without
/// batch norm: batch statistics make one sample's score depend on the others.
/// - Parameters:
///   - critic: the discriminator, applied to the interpolated batch.
///   - real, fake: batches of the same shape; neither needs gradients (fake is detached).
///   - weight: lambda, 10 in the paper.
/// - Returns: a scalar differentiable with respect to the critic's parameters.
public func gradientPenalty(critic: (Tensor) -> Tensor, real: Tensor, fake: Tensor, weight: Float = 10,
                            using generator: inout some RandomNumberGenerator) -> Tensor {
    precondition(real.shape == fake.shape && real.shape.rank >= 2, "gradient penalty of \(real.shape) and \(fake.shape)")
    var epsilonShape = Array(repeating: 1, count: real.shape.rank)
    epsilonShape[0] = real.shape[0]
    let epsilon = Tensor.uniform(shape: Shape(epsilonShape), in: 0...1, using: &generator)
    let mixed = withoutGradients { epsilon * real + (1 - epsilon) * fake.detached() }.requiringGradient()
    let sampleAxes = Array(1..<real.shape.rank)
    let scores = critic(mixed)
    let slope = gradients(of: scores.mean(axes: Array(1..<scores.shape.rank)).sum(), withRespectTo: [mixed],
                          createGraph: true)[0]
    let norms = (slope.squared().sum(axes: sampleAxes) + 1e-12).sqrt()
    return (norms - 1).squared().mean() * weight
}

/// Feature matching (Salimans et al. 2016; pix2pixHD): the mean over layers of
/// the L1 distance between the discriminator's intermediate features on
/// generated images and on real ones (the real ones held constant).
public func featureMatchingLoss(real: [Tensor], fake: [Tensor]) -> Tensor {
    precondition(!real.isEmpty && real.count == fake.count, "feature matching of \(real.count) and \(fake.count) layers")
    let terms = zip(real, fake).map { real, fake in l1Loss(fake, real.detached()) }
    return terms.dropFirst().reduce(terms[0], +) / Float(terms.count)
}
