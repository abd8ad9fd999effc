import LumenIO
import LumenTensor

/// An alpha matte in 8-bit levels, row-major: 0 is background, 255 foreground.
///
/// The matting metrics work on 8-bit levels, as Adobe's Deep Image Matting code
/// reads its PNGs, so that SAD, MSE and the connectivity error are exact integer
/// sums. A model's float alpha is rounded to the nearest level (``init(alpha:)``),
/// which is what writing it as an 8-bit PNG does.
public struct Matte: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width · height` levels, row by row.
    public var levels: [UInt8]

    public init(width: Int, height: Int, levels: [UInt8]) {
        precondition(width > 0 && height > 0 && levels.count == width * height,
                     "\(levels.count) levels for a \(width) x \(height) matte")
        (self.width, self.height, self.levels) = (width, height, levels)
    }

    /// The matte stored in an image file: one gray channel, or RGB whose three
    /// channels are equal (as some tools save mattes); 16-bit levels are rounded to
    /// 8 bits. A transparent or coloured image is refused.
    public init(image: Image) throws(MattingError) {
        guard image.isOpaque else { throw .transparent }
        let gray = try Self.grayLevels(of: image.colorChannels.converted(toBitDepth: 8))
        self.init(width: image.width, height: image.height, levels: gray)
    }

    /// A float alpha `[1, 1, H, W]` (or `[H, W]`) in `[0, 1]`, rounded to 8-bit
    /// levels; values outside are clamped.
    public init(alpha: Tensor) {
        let dimensions = alpha.shape.dimensions
        precondition(dimensions.count == 2 || (dimensions.count == 4 && dimensions[0] == 1 && dimensions[1] == 1),
                     "a matte from a tensor of shape \(alpha.shape); expected [1, 1, H, W] or [H, W]")
        let levels = alpha.scalars.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
        self.init(width: dimensions[dimensions.count - 1], height: dimensions[dimensions.count - 2], levels: levels)
    }

    /// The matte as an 8-bit gray image.
    public var image: Image {
        Image(width: width, height: height, channels: 1, bitDepth: 8, samples: levels.map(UInt16.init))
    }

    /// The matte as alpha in `[0, 1]`, shape `[1, 1, H, W]`.
    public var tensor: Tensor {
        Tensor(shape: [1, 1, height, width], scalars: levels.map { Float($0) / 255 })
    }

    /// The gray levels of an 8-bit gray or equal-channel RGB image.
    static func grayLevels(of image: Image) throws(MattingError) -> [UInt8] {
        switch image.channels {
        case 1:
            return image.samples.map { UInt8($0) }
        case 3:
            var levels = [UInt8]()
            levels.reserveCapacity(image.width * image.height)
            for pixel in stride(from: 0, to: image.samples.count, by: 3) {
                let red = image.samples[pixel]
                guard image.samples[pixel + 1] == red, image.samples[pixel + 2] == red else {
                    throw .notGrayscale(channels: 3)
                }
                levels.append(UInt8(red))
            }
            return levels
        default:
            throw .notGrayscale(channels: image.channels)
        }
    }
}
