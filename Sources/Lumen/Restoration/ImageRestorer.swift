import LumenIO
import LumenTensor

/// Anything that restores a photo: removes noise, or enlarges it by an integer
/// factor (super-resolution). Unlike an ``ImageEnhancer`` its output may be larger
/// than its input, by ``scaleFactor`` on both axes.
///
/// Implementations are immutable after creation, so one instance can serve several threads.
public protocol ImageRestorer: Sendable {
    /// How many times larger the output is than the input on each axis: 1 for denoisers.
    var scaleFactor: Int { get }

    /// Why an image of this size cannot be restored (its output would be too large),
    /// or `nil` when it can. Callers check it first, so that bad input is an error
    /// naming the file rather than a trap or an unbounded allocation.
    func sizeProblem(height: Int, width: Int) -> String?

    /// Restores `image`; alpha, if any, is left out (the caller carries it over).
    /// - Parameter progress: called after each tile with (tiles done, tiles in all).
    func restore(_ image: Image, options: RestorationOptions, progress: (Int, Int) -> Void) -> Restoration
}

extension ImageRestorer {
    /// Refuses outputs beyond ``Image/maximumPixels``.
    public func sizeProblem(height: Int, width: Int) -> String? {
        let pixels = Double(height) * Double(width) * Double(scaleFactor * scaleFactor)
        guard pixels > Double(Image.maximumPixels) else { return nil }
        return "the \(width * scaleFactor)x\(height * scaleFactor) result would exceed the limit of \(Image.maximumPixels) pixels "
            + "(--max-pixels)"
    }

    /// Restores `image` without reporting progress.
    public func restore(_ image: Image, options: RestorationOptions = RestorationOptions()) -> Restoration {
        restore(image, options: options) { _, _ in }
    }
}

/// How ``ImageRestorer/restore(_:options:)`` runs.
public struct RestorationOptions: Sendable {
    /// Input tiles of this many pixels a side bound the memory (the result is the
    /// same); 0 runs the whole image at once.
    public var tileSize: Int
    /// The bit depth of the result: 8 or 16.
    public var bitDepth: Int
    /// Whether to compute ``Restoration/luma``, the protocol's Y (evaluation).
    public var computesLuma: Bool

    public init(tileSize: Int = 512, bitDepth: Int = 8, computesLuma: Bool = false) {
        precondition(tileSize == 0 || tileSize >= 16, "tile size must be 0 or at least 16, got \(tileSize)")
        precondition(bitDepth == 8 || bitDepth == 16, "bit depth \(bitDepth); expected 8 or 16")
        (self.tileSize, self.bitDepth, self.computesLuma) = (tileSize, bitDepth, computesLuma)
    }
}

/// A restored photo.
public struct Restoration: Sendable {
    /// The result: gray for gray sources, else RGB, ``ImageRestorer/scaleFactor`` times the input.
    public let image: Image
    /// The luma the restoration protocols score, row-major, on `0...255` and not rounded,
    /// when asked for: the gray value for gray sources, else BT.601 studio-range Y
    /// (`16 + 219·Y` of a luma model's own output, which is scored as it is).
    public let luma: [Double]?
}

/// A learned restoration model: a network on `[N, C, H, W]` tensors in `[0, 1]`
/// and the colour model that turns photos into them.
public protocol TensorRestorer: ImageRestorer {
    /// How photos become the network's channels and back.
    var colorModel: RestorationColorModel { get }
    /// How far, in input pixels, an output pixel can see: the halo of exact tiling.
    var receptiveRadius: Int { get }
    /// Tile windows start at multiples of this (networks with strides), 1 otherwise.
    var tileAlignment: Int { get }
    /// The restored tensor `[N, C, H·scale, W·scale]`.
    func restored(_ input: Tensor) -> Tensor
}

extension TensorRestorer {
    public var tileAlignment: Int { 1 }

    /// ``restored(_:)`` tile by tile, equal to the whole-image result: tiles of
    /// `tileSize` input pixels with a halo of ``receptiveRadius``.
    public func restoredInTiles(_ input: Tensor, tileSize: Int, progress: (Int, Int) -> Void = { _, _ in }) -> Tensor {
        guard tileSize > 0 else {
            defer { progress(1, 1) }
            return withoutGradients { restored(input) }
        }
        return TiledInference(tileSize: tileSize).run(on: input, halo: receptiveRadius, scale: scaleFactor,
                                                      alignment: tileAlignment, progress: progress) { restored($0) }
    }

    /// Runs the colour model and the network tile by tile, writing each tile's
    /// samples as soon as it is computed: memory holds the input, the result's samples
    /// and one tile, not the whole result as floats.
    public func restore(_ image: Image, options: RestorationOptions, progress: (Int, Int) -> Void) -> Restoration {
        let session = RestorationColorSession(colorModel, image: image)
        let outputHeight = image.height * scaleFactor, outputWidth = image.width * scaleFactor
        let channels = session.outputChannels
        var samples = [UInt16](repeating: 0, count: outputHeight * outputWidth * channels)
        var luma = options.computesLuma ? [Double](repeating: 0, count: outputHeight * outputWidth) : nil
        samples.withUnsafeMutableBufferPointer { samples in
            withOptionalBuffer(&luma) { luma in
                let tiling = TiledInference(tileSize: options.tileSize == 0 ? max(image.height, image.width, 16) : options.tileSize)
                tiling.forEachTile(of: session.input, halo: receptiveRadius, scale: scaleFactor, alignment: tileAlignment,
                                   progress: progress, { restored($0) }) { tile, rows, columns in
                    session.write(tile, rows: rows, columns: columns, outputHeight: outputHeight, outputWidth: outputWidth,
                                  bitDepth: options.bitDepth, into: samples.baseAddress!, luma: luma)
                }
            }
        }
        return Restoration(image: Image(width: outputWidth, height: outputHeight, channels: channels,
                                        bitDepth: options.bitDepth, samples: samples), luma: luma)
    }
}

/// Runs `body` with the address of `array`'s storage, or `nil` when there is no array.
private func withOptionalBuffer<T>(_ array: inout [T]?, _ body: (UnsafeMutablePointer<T>?) -> Void) {
    guard array != nil else { return body(nil) }
    array!.withUnsafeMutableBufferPointer { body($0.baseAddress) }
}
