import LumenIO
import LumenNN
import LumenTensor

/// The parametric enhancer of SPEC section 3: a tiny network that predicts one
/// ``ToneCurve`` (gamma, contrast, brightness) for the whole image, applied through
/// a look-up table, fast enough for real-time use and for data augmentation.
///
/// The image is area-averaged to a 64x64 thumbnail (``thumbnailSize``, PyTorch's
/// `adaptive_avg_pool2d` cells), then three 3x3 stride-2 convolutions with ReLU
/// (3 → w → 2w → 4w channels, 64 → 32 → 16 → 8 pixels), a global mean and a linear
/// head give three raw outputs `a, b, c`, bounded as gamma `2^(2·tanh a)` in
/// `[0.25, 4]`, contrast `2^tanh b` in `[0.5, 2]` and brightness `0.25·tanh c`.
/// With the default `width` 8 the network has 6,131 parameters.
///
/// The head starts at zero, so an untrained model predicts the identity curve and
/// leaves images unchanged; the convolutions get gradients from the first step on,
/// once the head has moved.
///
/// Two paths give the same result: ``callAsFunction(_:)`` on tensors,
/// differentiable end to end for supervised training, and ``enhance(_:)`` on an
/// ``Image``, which averages the thumbnail straight from the integer samples and maps
/// them through a table of every code value, never making a float copy of the photo.
///
/// ```swift
/// var generator = SplitMix64(seed: 0)
/// let model = ParametricEnhancer(using: &generator)
/// let brighter = model.enhance(photo)          // fast path
/// let output = model(photo.tensor())           // training path: output.enhanced, output.curves
/// ```
public final class ParametricEnhancer: Module, TensorEnhancer, @unchecked Sendable {
    /// The model's outputs.
    public struct Output {
        /// The enhanced image `[N, 3, H, W]` in `[0, 1]`.
        public let enhanced: Tensor
        /// One curve per image `[N, 3]`: columns gamma, contrast, brightness
        /// (``ToneCurve/rows(of:)`` reads them).
        public let curves: Tensor
    }

    /// The side of the square thumbnail the network sees, whatever the image size.
    public static let thumbnailSize = 64

    let conv1, conv2, conv3: Conv2d
    let head: Linear

    /// Creates a network with `width`, `2·width` and `4·width` channels, random
    /// convolutions and a zero head (the identity curve).
    public init(width: Int = 8, using generator: inout some RandomNumberGenerator) {
        func conv(_ input: Int, _ output: Int) -> Conv2d {
            Conv2d(inputChannels: input, outputChannels: output, kernelSize: 3, stride: 2, padding: 1,
                   using: &generator)
        }
        conv1 = conv(3, width); conv2 = conv(width, 2 * width); conv3 = conv(2 * width, 4 * width)
        let head = Linear(inputFeatures: 4 * width, outputFeatures: 3, using: &generator)
        head.weight.assign(Tensor(zeros: head.weight.shape))
        head.bias?.assign(Tensor(zeros: [3]))
        self.head = head
    }

    /// Predicts a curve per image of `image` `[N, 3, H, W]` in `[0, 1]` and applies it.
    public func callAsFunction(_ image: Tensor) -> Output {
        let size = Self.thumbnailSize
        let curves = curves(ofThumbnails: image.adaptiveAvgPool2d(outputSize: (height: size, width: size)))
        return Output(enhanced: ToneCurve.applied(curves, to: image), curves: curves)
    }

    /// The curves `[N, 3]` for thumbnails `[N, 3, thumbnailSize, thumbnailSize]`.
    func curves(ofThumbnails thumbnails: Tensor) -> Tensor {
        let features = conv3(conv2(conv1(thumbnails).relu()).relu()).relu().mean(axes: [2, 3])
        return ToneCurve.curves(fromRaw: head(features))
    }

    public func enhanced(_ image: Tensor) -> Tensor { self(image).enhanced }

    /// `nil`: the curve depends on the whole image.
    public var receptiveRadius: Int? { nil }

    /// The curve predicted for `image`, from a thumbnail averaged straight from its
    /// integer samples (gray is replicated to RGB and alpha ignored, as ``Image/rgb()``).
    public func toneCurve(for image: Image) -> ToneCurve {
        let thumbnail = Self.thumbnail(of: image.rgb(), size: Self.thumbnailSize)
        return ToneCurve.rows(of: withoutGradients { curves(ofThumbnails: thumbnail) })[0]
    }

    /// The fast path: predicts the curve from a thumbnail and maps every sample
    /// through a table of the image's bit depth.
    ///
    /// Equals the tensor path `Image(tensor: enhanced(image.rgb().tensor()), bitDepth:)`
    /// to within one code value (the thumbnail's float sums are ordered differently).
    /// - Returns: an RGB image of the input's size and bit depth.
    public func enhance(_ image: Image) -> Image {
        let rgb = image.rgb()
        return toneCurve(for: rgb).lookupTable(bitDepth: rgb.bitDepth).applied(to: rgb)
    }

    /// The `[1, 3, size, size]` area-average thumbnail of an RGB image in `[0, 1]`,
    /// with the cells of `adaptiveAvgPool2d` (row `i` averages rows
    /// `floor(i·H/size) ..< ceil((i+1)·H/size)`, likewise columns).
    ///
    /// Each thumbnail row first sums its image rows per column in integers, so a
    /// photo is read about once; the sums are exact, only the final division rounds.
    static func thumbnail(of image: Image, size: Int) -> Tensor {
        precondition(image.channels == 3, "thumbnail of a \(image.channels)-channel image; expected RGB")
        let (height, width) = (image.height, image.width)
        let rows = (0..<size).map { i in (i * height / size) ..< ((i + 1) * height + size - 1) / size }
        let columns = (0..<size).map { j in (j * width / size) ..< ((j + 1) * width + size - 1) / size }
        let maximum = Double(image.maximumValue)
        return Tensor(shape: [1, 3, size, size]) { thumbnail in
            image.samples.withUnsafeBufferPointer { samples in
                parallelFor(size) { range in
                    // A UInt32 sum of 16-bit samples overflows only past 65,537 rows per cell.
                    var columnSums = [UInt32](repeating: 0, count: width * 3)
                    for i in range {
                        columnSums.withUnsafeMutableBufferPointer { sums in
                            sums.update(repeating: 0)
                            for y in rows[i] {
                                let row = samples.baseAddress! + y * width * 3
                                for k in 0..<width * 3 { sums[k] &+= UInt32(row[k]) }
                            }
                            for (j, cell) in columns.enumerated() {
                                let count = Double(rows[i].count * cell.count) * maximum
                                for channel in 0..<3 {
                                    var total: UInt64 = 0
                                    for x in cell { total += UInt64(sums[x * 3 + channel]) }
                                    thumbnail[(channel * size + i) * size + j] = Float(Double(total) / count)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension ParametricEnhancer: CheckpointImportable {
    /// `nil` for every key: the parametric enhancer is Lumen's own design and has no
    /// official PyTorch checkpoint; its weights load from Lumen safetensors only.
    public static func importRule(forKey torchKey: String) -> CheckpointKeyRule? { nil }
}
