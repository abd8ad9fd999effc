import LumenNN
import LumenTensor

/// Zero-DCE curve estimator (Guo et al., CVPR 2020, https://arxiv.org/abs/2001.06826).
///
/// Seven 3x3 convolutions (stride 1, padding 1) with symmetric skip connections
/// estimate eight 3-channel curve maps `r1 ... r8`; the image is enhanced by
/// applying `x ← x + rᵢ·(x² − x)` for `i = 1 ... 8`. Port of the architecture in
/// the official `Zero-DCE_code/model.py` (`enhance_net_nopool`).
public final class ZeroDCE: Module, TensorEnhancer, @unchecked Sendable {
    /// The three outputs of the reference implementation.
    public struct Output {
        /// The image after four curve steps.
        public let halfway: Tensor
        /// The image after all eight steps `[N, 3, H, W]`.
        public let enhanced: Tensor
        /// The 24-channel tanh curve maps `[N, 24, H, W]` (eight RGB maps in order).
        public let curves: Tensor
    }

    package let conv1, conv2, conv3, conv4, conv5, conv6, conv7: Conv2d

    /// Creates a randomly initialised network with `width` feature channels (32 officially).
    public convenience init(width: Int = 32, using generator: inout some RandomNumberGenerator) {
        self.init(widths: Array(repeating: width, count: 6), using: &generator)
    }

    /// Creates a randomly initialised network whose `conv1` ... `conv6` have `widths`
    /// output channels, as a pruned model has; each concatenation's reader takes the
    /// sum of its parts' channels.
    public init(widths: [Int], using generator: inout some RandomNumberGenerator) {
        precondition(widths.count == 6 && widths.allSatisfy { $0 >= 1 }, "Zero-DCE takes six widths of at least 1, got \(widths)")
        func conv(_ input: Int, _ output: Int) -> Conv2d {
            Conv2d(inputChannels: input, outputChannels: output, kernelSize: 3, padding: 1, using: &generator)
        }
        let w = widths
        conv1 = conv(3, w[0]); conv2 = conv(w[0], w[1]); conv3 = conv(w[1], w[2]); conv4 = conv(w[2], w[3])
        conv5 = conv(w[2] + w[3], w[4]); conv6 = conv(w[1] + w[4], w[5]); conv7 = conv(w[0] + w[5], 24)
    }

    /// The output channels of `conv1` ... `conv6`: 32 each in the official network.
    public var widths: [Int] { [conv1, conv2, conv3, conv4, conv5, conv6].map { $0.weight.shape[0] } }

    /// Runs the network on `image` `[N, 3, H, W]` in `[0, 1]`.
    public func callAsFunction(_ image: Tensor) -> Output {
        let x = features(image)
        return Self.output(image: image, curves: conv7(Tensor.concatenated([x[0], x[5]], axis: 1)).tanh())
    }

    /// The ReLU feature maps `x1 ... x6` of `conv1 ... conv6`, which the int8
    /// quantiser calibrates on: `conv5` reads `x3, x4`, `conv6` `x2, x5`, `conv7` `x1, x6`.
    package func features(_ image: Tensor) -> [Tensor] {
        zeroDCEFeatures(image, layers: [conv1, conv2, conv3, conv4, conv5, conv6])
    }

    /// The eight curve steps of `curves` (`[N, 24, H, W]`, after tanh) applied to `image`.
    package static func output(image: Tensor, curves: Tensor) -> Output {
        let maps = curves.split(sizes: Array(repeating: 3, count: 8), axis: 1)
        var x = image
        var halfway = image
        for (step, r) in maps.enumerated() {
            x = lightEnhancementStep(x, r)
            if step == 3 { halfway = x }
        }
        return Output(halfway: halfway, enhanced: x, curves: curves)
    }

    public func enhanced(_ image: Tensor) -> Tensor { self(image).enhanced }

    /// Seven stacked 3x3 convolutions see 7 pixels in every direction.
    public var receptiveRadius: Int? { 7 }
}
