import LumenImaging
import LumenNN
import LumenTensor

/// The supervised brightness model of SPEC section 3: a light U-Net that predicts a
/// bounded per-pixel map by which the image is brightened.
///
/// Two 2x2 max-pool levels with two 3x3 convolutions each, skip connections, and a
/// global brightness branch: the deepest features are averaged over the whole
/// image, passed through a linear layer and added back to every position, so the
/// map can depend on the exposure of the whole photo. The head gives one value per
/// pixel through a scaled sigmoid. In ``Mode/gain`` it is a gain in `[0.5, 2]` and
/// the result is `clamp(x · gain, 0, 1)`; in ``Mode/gamma`` it is an exponent in
/// `[0.2, 2]` and the result is `x^γ`. Images are padded by edge replication to a
/// multiple of 4 and the result cropped back, so any size works.
///
/// The shipped `gain-unet` model uses the gamma mode: a gain of at most 2 cannot
/// undo the −3 to −1 EV of the synthetic training data (on such pairs even the best
/// per-pixel gain in `[0.5, 2]` reaches only 19.3 dB PSNR, against 25.6 dB for
/// the best per-pixel exponent in `[0.2, 2]`; see the README).
public final class GainUNet: Module, TensorEnhancer, @unchecked Sendable {
    /// How the predicted map changes the image.
    public enum Mode: String, Sendable {
        /// `clamp(x · gain, 0, 1)` with a gain in `[0.5, 2]`.
        case gain
        /// `x^γ` with a per-pixel exponent γ in `[0.2, 2]`, brightening below 1.
        case gamma

        /// The range of the predicted map.
        public var range: ClosedRange<Float> {
            switch self {
            case .gain: 0.5...2
            case .gamma: 0.2...2
            }
        }
    }

    /// The model's outputs.
    public struct Output {
        /// The enhanced image `[N, 3, H, W]`.
        public let enhanced: Tensor
        /// The predicted map `[N, 1, H, W]` in the mode's ``Mode/range``: gains or exponents.
        public let map: Tensor
    }

    public let mode: Mode
    /// Whether to white-balance the input with the gray-world method first.
    public let balancesWhite: Bool
    package let encoder1a, encoder1b, encoder2a, encoder2b, middleA, middleB: Conv2d
    package let decoder2a, decoder2b, decoder1a, decoder1b, head: Conv2d
    package let global: Linear

    /// Creates a randomly initialised network with `width` channels at full resolution
    /// (doubling at each level).
    public init(width: Int = 16, mode: Mode = .gain, balancesWhite: Bool = false,
                using generator: inout some RandomNumberGenerator) {
        func conv(_ input: Int, _ output: Int, _ kernel: Int = 3) -> Conv2d {
            Conv2d(inputChannels: input, outputChannels: output, kernelSize: Pair(kernel), padding: Pair(kernel / 2),
                   using: &generator)
        }
        (self.mode, self.balancesWhite) = (mode, balancesWhite)
        encoder1a = conv(3, width); encoder1b = conv(width, width)
        encoder2a = conv(width, 2 * width); encoder2b = conv(2 * width, 2 * width)
        middleA = conv(2 * width, 4 * width); middleB = conv(4 * width, 4 * width)
        global = Linear(inputFeatures: 4 * width, outputFeatures: 4 * width, using: &generator)
        decoder2a = conv(6 * width, 2 * width); decoder2b = conv(2 * width, 2 * width)
        decoder1a = conv(3 * width, width); decoder1b = conv(width, width)
        head = conv(width, 1, 1)
    }

    /// Runs the network on `image` `[N, 3, H, W]` in `[0, 1]`.
    public func callAsFunction(_ image: Tensor) -> Output {
        let (height, width) = (image.shape[2], image.shape[3])
        let input = balancesWhite ? withoutGradients { grayWorldBalanced(image) } : image
        let features = encoded(Self.paddedToMultipleOf4(input))
        let map = decodedMap(features, brightness: brightness(meanOfDeepest: features.deepest.mean(axes: [2, 3])))
            .sliced(axis: 2, range: 0..<height).sliced(axis: 3, range: 0..<width)
        return Output(enhanced: brightened(input, by: map), map: map)
    }

    /// The encoder's outputs at full, half and quarter resolution.
    struct Features {
        let full, half, deepest: Tensor
    }

    /// `image` padded by edge replication to a multiple of 4 (the two 2x2 poolings).
    static func paddedToMultipleOf4(_ image: Tensor) -> Tensor {
        let (height, width) = (image.shape[2], image.shape[3])
        return image.padded(Padding(top: 0, bottom: (4 - height % 4) % 4, left: 0, right: (4 - width % 4) % 4), mode: .replicate)
    }

    /// The encoder on a padded image (height and width multiples of 4).
    func encoded(_ padded: Tensor) -> Features {
        let full = encoder1b(encoder1a(padded).relu()).relu()
        let half = encoder2b(encoder2a(full.maxPool2d(kernelSize: 2)).relu()).relu()
        return Features(full: full, half: half, deepest: middleB(middleA(half.maxPool2d(kernelSize: 2)).relu()).relu())
    }

    /// The global brightness branch: `[N, 4·width]` from the deepest features'
    /// mean over the whole image.
    func brightness(meanOfDeepest mean: Tensor) -> Tensor { global(mean).relu() }

    /// The decoder: the map `[N, 1, H, W]` of the padded image, in the mode's range.
    func decodedMap(_ features: Features, brightness: Tensor) -> Tensor {
        let deepest = features.deepest + brightness.reshaped([brightness.shape[0], brightness.shape[1], 1, 1])
        let up2 = deepest.resizedNearest(height: features.half.shape[2], width: features.half.shape[3])
        let decoded2 = decoder2b(decoder2a(Tensor.concatenated([up2, features.half], axis: 1)).relu()).relu()
        let up1 = decoded2.resizedNearest(height: features.full.shape[2], width: features.full.shape[3])
        let decoded1 = decoder1b(decoder1a(Tensor.concatenated([up1, features.full], axis: 1)).relu()).relu()
        let range = mode.range
        return head(decoded1).sigmoid() * (range.upperBound - range.lowerBound) + range.lowerBound
    }

    /// `input` changed by `map` as the mode says.
    func brightened(_ input: Tensor, by map: Tensor) -> Tensor {
        switch mode {
        case .gain: (input * map).clamped(min: 0, max: 1)
        case .gamma: input.clamped(min: 1e-6, max: 1).pow(map)
        }
    }

    public func enhanced(_ image: Tensor) -> Tensor { self(image).enhanced }

    /// `nil`: the global branch sees the whole image. Tiled inference is still
    /// exact, in two passes (``enhancedInTiles(_:tileSize:progress:)``).
    public var receptiveRadius: Int? { nil }
}

extension GainUNet: CheckpointImportable {
    /// `nil` for every key: the gain U-Net is Lumen's own model and has no official
    /// PyTorch checkpoints, so any such file is rejected.
    public static func importRule(forKey torchKey: String) -> CheckpointKeyRule? { nil }
}
