import CLumenKernels

/// One image's activations as unsigned bytes, `value ≈ scale · (byte − zeroPoint)`,
/// laid out as the int8 kernels read them.
///
/// Channels are stored in groups of four ("quads"): each quad is a plane of 4-byte
/// pixels, surrounded by a `border` of pixels holding the zero point, so a
/// convolution with padding up to `border` reads its zeros from memory instead of
/// testing bounds. A value is a view: ``channels(_:)`` shares the storage, so a
/// convolution can write its output straight into one part of a concatenation.
public struct QuantizedActivations: @unchecked Sendable {
    /// Bytes from the tensors' ``StoragePool``, so that the buffers of one image
    /// are reused for the next instead of faulting in fresh pages.
    final class Storage {
        let pointer: UnsafeMutablePointer<UInt8>
        /// In floats, as the pool counts.
        private let capacity: Int

        init(count: Int, filling value: UInt8) {
            let (floats, capacity) = StoragePool.shared.take(count: (count + 3) / 4)
            self.capacity = capacity
            pointer = UnsafeMutableRawPointer(floats).bindMemory(to: UInt8.self, capacity: 4 * capacity)
            pointer.initialize(repeating: value, count: count)
        }

        deinit {
            let floats = UnsafeMutableRawPointer(pointer).bindMemory(to: Float.self, capacity: capacity)
            StoragePool.shared.give(floats, capacity: capacity)
        }
    }

    /// Channels of this view, its height and width (without the border).
    public let channels, height, width: Int
    /// Pixels of zero point around each plane.
    public let border: Int
    /// The real value of one step.
    public let scale: Float
    /// The byte that stands for 0.
    public let zeroPoint: UInt8
    /// The largest byte: 255, or 127 for 7-bit activations (which AVX2 multiplies
    /// by 8-bit weights without saturating).
    public let maximum: UInt8
    let storage: Storage
    /// The first quad of this view in `storage`.
    let firstQuad: Int

    /// Activations holding the zero point everywhere.
    /// - Parameter border: the widest padding of the convolutions that will read them.
    public init(channels: Int, height: Int, width: Int, border: Int, scale: Float, zeroPoint: UInt8, maximum: UInt8 = 255) {
        precondition(channels >= 1 && height >= 1 && width >= 1 && border >= 0, "bad activation size \(channels)x\(height)x\(width), border \(border)")
        precondition(scale > 0 && scale.isFinite, "activation scale must be positive, got \(scale)")
        precondition(zeroPoint <= maximum, "zero point \(zeroPoint) above the largest byte \(maximum)")
        (self.channels, self.height, self.width, self.border) = (channels, height, width, border)
        (self.scale, self.zeroPoint, self.maximum, firstQuad) = (scale, zeroPoint, maximum, 0)
        let quads = (channels + 3) / 4
        storage = Storage(count: 4 * quads * (height + 2 * border) * (width + 2 * border) + Int(LUMEN_QCONV_SLACK),
                          filling: zeroPoint)
    }

    private init(viewOf base: QuantizedActivations, firstQuad: Int, channels: Int) {
        (self.channels, height, width, border) = (channels, base.height, base.width, base.border)
        (scale, zeroPoint, maximum, storage) = (base.scale, base.zeroPoint, base.maximum, base.storage)
        self.firstQuad = firstQuad
    }

    /// Quantises `tensor` `[1, C, H, W]`: `byte = clamp(round(x / scale) + zeroPoint, 0, maximum)`.
    public init(quantizing tensor: Tensor, scale: Float, zeroPoint: UInt8, maximum: UInt8 = 255, border: Int) {
        precondition(tensor.shape.rank == 4 && tensor.shape[0] == 1, "quantise one image [1, C, H, W], got \(tensor.shape)")
        self.init(channels: tensor.shape[1], height: tensor.shape[2], width: tensor.shape[3], border: border,
                  scale: scale, zeroPoint: zeroPoint, maximum: maximum)
        let top = Float(maximum)
        let (channels, height, width) = (self.channels, self.height, self.width)
        let inverse = 1 / scale, zero = Float(zeroPoint)
        tensor.withUnsafeBufferPointer { source in
            parallelFor(height) { rows in
                for c in 0..<channels {
                    let quad = interior(quad: c / 4) + c % 4
                    for y in rows {
                        let from = source.baseAddress! + (c * height + y) * width
                        let to = quad + 4 * y * rowStride
                        for x in 0..<width {
                            to[4 * x] = UInt8((from[x] * inverse + zero).rounded().clamped(0, top))
                        }
                    }
                }
            }
        }
    }

    /// The channels `range` (starting at a multiple of 4) as a view of the same storage.
    public func channels(_ range: Range<Int>) -> QuantizedActivations {
        precondition(range.lowerBound % 4 == 0 && range.upperBound <= channels && !range.isEmpty,
                     "a view starts at a quad: channels \(range) of \(channels)")
        return QuantizedActivations(viewOf: self, firstQuad: firstQuad + range.lowerBound / 4, channels: range.count)
    }

    /// The real values `scale · (byte − zeroPoint)`, `[1, C, H, W]`.
    public func dequantized() -> Tensor {
        let (channels, height, width) = (self.channels, self.height, self.width)
        let zero = Float(zeroPoint)
        return Tensor(shape: [1, channels, height, width]) { target in
            for c in 0..<channels {
                let quad = interior(quad: c / 4) + c % 4
                for y in 0..<height {
                    let to = target.baseAddress! + (c * height + y) * width, from = quad + 4 * y * rowStride
                    for x in 0..<width { to[x] = scale * (Float(from[4 * x]) - zero) }
                }
            }
        }
    }

    /// Writes `self + other` (same size) into `result`, requantised to its scale:
    /// the element-wise sum of a residual connection.
    public func adding(_ other: QuantizedActivations, into result: QuantizedActivations) {
        precondition(other.channels == channels && other.height == height && other.width == width
                     && result.channels == channels && result.height == height && result.width == width,
                     "adding activations of different sizes")
        let (a, b, r) = (self, other, result)
        let inverse = 1 / r.scale, zero = Float(r.zeroPoint), top = Float(r.maximum)
        let (za, zb) = (Float(a.zeroPoint), Float(b.zeroPoint))
        parallelFor(height) { rows in
            for quad in 0..<quads {
                for y in rows {
                    let pa = a.interior(quad: quad) + 4 * y * a.rowStride, pb = b.interior(quad: quad) + 4 * y * b.rowStride
                    let pr = r.interior(quad: quad) + 4 * y * r.rowStride
                    for i in 0..<4 * width {
                        let value = a.scale * (Float(pa[i]) - za) + b.scale * (Float(pb[i]) - zb)
                        pr[i] = UInt8((value * inverse + zero).rounded().clamped(0, top))
                    }
                }
            }
        }
    }

    /// The byte of channel `c` at (`y`, `x`) (without the border).
    public subscript(c: Int, y: Int, x: Int) -> UInt8 { interior(quad: c / 4)[4 * (y * rowStride + x) + c % 4] }

    var quads: Int { (channels + 3) / 4 }
    /// Pixels per row, border included.
    var rowStride: Int { width + 2 * border }
    /// Pixels per quad plane, border included.
    var quadStride: Int { (height + 2 * border) * rowStride }

    /// The first interior byte of quad `quad` of this view.
    func interior(quad: Int) -> UnsafeMutablePointer<UInt8> {
        storage.pointer + 4 * ((firstQuad + quad) * quadStride + border * rowStride + border)
    }
}

extension Float {
    /// `self` within `low ... high`, and `low` for NaN.
    fileprivate func clamped(_ low: Float, _ high: Float) -> Float { self > low ? (self < high ? self : high) : low }
}
