import LumenNN
import LumenTensor

/// The convolutional part of VGG19 (Simonyan and Zisserman 2015) up to `conv5_4`
/// before its ReLU: the features ESRGAN's perceptual loss compares
/// (``perceptualLoss(_:_:features:)``).
///
/// Sixteen 3x3 convolutions with ReLU, 2x2 max pooling after `conv1_2`, `conv2_2`,
/// `conv3_4` and `conv4_4`. No ImageNet weights ship with Lumen: import the
/// torchvision file (`vgg19-dcbb9e9d.pth`, keys `features.N.weight`), whose
/// classifier is ignored. Its parameters never train.
public final class VGG19Features: Module, @unchecked Sendable {
    let convolutions: [Conv2d]
    /// The index of the torchvision `features` module of each convolution.
    public static let torchvisionIndices = [0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34]
    /// Convolutions after which the network pools (0-based).
    static let poolingAfter: Set<Int> = [1, 3, 7, 11]

    /// Creates the network with random weights, frozen (to be replaced by imported ones).
    public init(using generator: inout some RandomNumberGenerator) {
        let widths = [3, 64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512]
        convolutions = (0..<16).map { index in
            Conv2d(inputChannels: widths[index], outputChannels: widths[index + 1], kernelSize: 3, padding: 1, using: &generator)
        }
        super.init()
        freeze(keysWithPrefixes: [""])
    }

    /// `conv5_4` before its ReLU for `[N, 3, H, W]` images already normalised with
    /// ImageNet's mean and deviation.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var y = x
        for (index, conv) in convolutions.enumerated() {
            y = conv(y)
            guard index < convolutions.count - 1 else { break }
            y = y.relu()
            if Self.poolingAfter.contains(index) { y = y.maxPool2d(kernelSize: 2, stride: 2) }
        }
        return y
    }
}

extension VGG19Features: CheckpointImportable {
    /// torchvision's `features.N.weight` / `.bias` → `convolutions.i.weight` / `.bias`;
    /// the classifier is dropped; any other key (another network) is refused.
    public static func importRule(forKey torchKey: String) -> CheckpointKeyRule? {
        if torchKey.hasPrefix("classifier.") { return .ignore(because: "the perceptual loss uses the convolutional features only") }
        let parts = torchKey.split(separator: ".")
        guard parts.count == 3, parts[0] == "features", let index = Int(parts[1]),
              let position = torchvisionIndices.firstIndex(of: index), parts[2] == "weight" || parts[2] == "bias" else { return nil }
        return .load(as: "convolutions.\(position).\(parts[2])")
    }
}

/// ESRGAN's perceptual loss: the L1 distance between the VGG19 `conv5_4`
/// features (before ReLU) of `prediction` and `target` `[N, 3, H, W]` in `[0, 1]`,
/// each normalised with ImageNet's mean (0.485, 0.456, 0.406) and deviation
/// (0.229, 0.224, 0.225). Gradients reach `prediction` only.
public func perceptualLoss(_ prediction: Tensor, _ target: Tensor, features: VGG19Features) -> Tensor {
    let mean = Tensor(shape: [1, 3, 1, 1], scalars: [0.485, 0.456, 0.406])
    let deviation = Tensor(shape: [1, 3, 1, 1], scalars: [0.229, 0.224, 0.225])
    let normalize = { (image: Tensor) in (image - mean) / deviation }
    let reference = withoutGradients { features(normalize(target)) }
    return l1Loss(features(normalize(prediction)), reference)
}
