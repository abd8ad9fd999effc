import Foundation

/// A neighbour offset `(rows, columns)` for ``Tensor/guidedVariation(guide:offsets:weightScale:)``.
public struct NeighbourOffset: Sendable, Equatable {
    /// Rows down, at least 0.
    public let rows: Int
    /// Columns right (negative: left); not negative when `rows` is 0.
    public let columns: Int

    /// - Parameters:
    ///   - rows: rows down, at least 0.
    ///   - columns: columns right, negative for left; positive when `rows` is 0.
    public init(rows: Int, columns: Int) {
        precondition(rows > 0 || (rows == 0 && columns > 0), "offset (\(rows), \(columns)) must point forward")
        self.rows = rows
        self.columns = columns
    }
}

extension Tensor {
    /// Edge-aware total variation of `self` `[N, C, H, W]`, weighted by how similar
    /// `guide` `[N, G, H, W]` is between neighbours, in one pass:
    ///
    ///     w(p, d) = exp(weightScale · Σ_g (guide_g[p + d] − guide_g[p])²)
    ///     E = Σ_d mean_{n, p} w(p, d) · Σ_c |x_c[p + d] − x_c[p]|
    ///
    /// over the pixels `p` where `p + d` is inside the image. SCI's smoothness loss
    /// is this with 12 offsets; composed from slices it builds about fifteen
    /// full-size temporaries per offset and their backward graph, where this keeps
    /// two `[N, H, W]` planes per offset for the backward pass.
    ///
    /// Backward (into both arguments): with `sgn = sign(x[p + d] − x[p])` and
    /// `Δg = guide[p + d] − guide[p]`, each pair `(p, p + d)` adds `±w · sgn / count_d`
    /// to `x` and `±2 · weightScale · w · V · Δg / count_d` to `guide`, where `V` is the
    /// pair's variation `Σ_c |x_c[p + d] − x_c[p]|`. The sign of 0 is 0, as in PyTorch.
    /// Images are processed in parallel and summed in a fixed order, so the value does
    /// not depend on the thread count.
    /// - Parameters:
    ///   - guide: same batch size, height and width as `self`; any channel count.
    ///   - offsets: the neighbour offsets `d`, each smaller than the image.
    ///   - weightScale: usually negative, e.g. `−1 / (2σ²)`.
    /// - Returns: a scalar.
    public func guidedVariation(guide: Tensor, offsets: [NeighbourOffset], weightScale: Float) -> Tensor {
        let x = self
        precondition(x.shape.rank == 4 && guide.shape.rank == 4 && x.shape[0] == guide.shape[0]
                     && x.shape[2] == guide.shape[2] && x.shape[3] == guide.shape[3],
                     "guidedVariation of \(x.shape) with guide \(guide.shape)")
        let kernel = GuidedVariationKernel(x: x, guide: guide, offsets: offsets, weightScale: weightScale)
        let (value, cache) = kernel.forward()
        return Tensor(Float(value)).recorded(.guidedVariation, inputs: [x, guide]) { g in
            let (xGradient, guideGradient) = kernel.backward(cache, upstream: g.scalar,
                                                             needsX: x.needsGradient, needsGuide: guide.needsGradient)
            return [xGradient, guideGradient]
        }
    }
}

/// The loops of ``Tensor/guidedVariation(guide:offsets:weightScale:)``.
private struct GuidedVariationKernel {
    let x: Tensor
    let guide: Tensor
    let offsets: [NeighbourOffset]
    let weightScale: Float
    let (batch, channels, guideChannels, height, width): (Int, Int, Int, Int, Int)

    init(x: Tensor, guide: Tensor, offsets: [NeighbourOffset], weightScale: Float) {
        (self.x, self.guide, self.offsets, self.weightScale) = (x, guide, offsets, weightScale)
        (batch, channels, guideChannels, height, width) = (x.shape[0], x.shape[1], guide.shape[1], x.shape[2], x.shape[3])
        for offset in offsets {
            precondition(offset.rows < height && Swift.abs(offset.columns) < width,
                         "offset (\(offset.rows), \(offset.columns)) for a \(height) x \(width) image")
        }
    }

    var planeSize: Int { height * width }

    /// The pixels `p` of offset `d` as row and column ranges: `p` and `p + d` inside.
    func region(_ offset: NeighbourOffset) -> (rows: Range<Int>, columns: Range<Int>) {
        (0..<(height - offset.rows), Swift.max(0, -offset.columns)..<(width - Swift.max(0, offset.columns)))
    }

    func count(_ offset: NeighbourOffset) -> Double {
        let (rows, columns) = region(offset)
        return Double(batch * rows.count * columns.count)
    }

    /// The per-pixel weights `w` and variations `V` of every offset and image, each
    /// indexed `(offset · N + image) · H · W + p` (entries outside an offset's region
    /// are not written), and the total.
    func forward() -> (Double, Cache) {
        var partials = [Double](repeating: 0, count: batch * offsets.count)
        // Pooled storage: no fresh pages to fault in at every training step.
        let cache = Cache(weights: TensorStorage(count: offsets.count * batch * planeSize),
                          variations: TensorStorage(count: offsets.count * batch * planeSize))
        let (xs, gs) = (x.storage.pointer, guide.storage.pointer)
        partials.withUnsafeMutableBufferPointer { partials in
            // Each task writes its own images' entries.
            parallelFor(batch) { images in
                for image in images {
                    for (index, offset) in offsets.enumerated() {
                        let start = (index * batch + image) * planeSize
                        partials[image * offsets.count + index] = pairs(
                            image: image, offset: offset, xs: xs, gs: gs,
                            weights: cache.weights.pointer + start, variations: cache.variations.pointer + start)
                    }
                }
            }
        }
        var total = 0.0
        for (index, offset) in offsets.enumerated() {
            var sum = 0.0
            for image in 0..<batch { sum += partials[image * offsets.count + index] }
            total += sum / count(offset)
        }
        return (total, cache)
    }

    /// What the forward pass keeps for the backward pass.
    struct Cache {
        let weights: TensorStorage
        let variations: TensorStorage
    }

    /// Fills `w` and `V` (indexed by `p`) of one image and offset; returns `Σ_p w · V`.
    func pairs(image: Int, offset: NeighbourOffset, xs: UnsafePointer<Float>, gs: UnsafePointer<Float>,
               weights: UnsafeMutablePointer<Float>, variations: UnsafeMutablePointer<Float>) -> Double {
        let (rows, columns) = region(offset)
        let shift = offset.rows * width + offset.columns
        let xBase = image * channels * planeSize, gBase = image * guideChannels * planeSize
        var sum = 0.0
        for row in rows {
            var rowSum: Float = 0
            for column in columns {
                let p = row * width + column
                var distance: Float = 0
                for channel in 0..<guideChannels {
                    let d = gs[gBase + channel * planeSize + p + shift] - gs[gBase + channel * planeSize + p]
                    distance += d * d
                }
                var variation: Float = 0
                for channel in 0..<channels {
                    variation += Swift.abs(xs[xBase + channel * planeSize + p + shift] - xs[xBase + channel * planeSize + p])
                }
                let weight = expf(weightScale * distance)
                weights[p] = weight
                variations[p] = variation
                rowSum += weight * variation
            }
            sum += Double(rowSum)
        }
        return sum
    }

    func backward(_ cache: Cache, upstream: Float,
                  needsX: Bool, needsGuide: Bool) -> (Tensor?, Tensor?) {
        let xGradient = needsX ? Tensor(zeros: x.shape) : nil
        let guideGradient = needsGuide ? Tensor(zeros: guide.shape) : nil
        let (xs, gs) = (x.storage.pointer, guide.storage.pointer)
        // Each image's gradient is written by one task only.
        parallelFor(batch) { images in
            for image in images {
                for (index, offset) in offsets.enumerated() {
                    let start = (index * batch + image) * planeSize
                    scatter(image: image, offset: offset, scale: upstream / Float(count(offset)),
                            weights: cache.weights.pointer + start, variations: cache.variations.pointer + start,
                            xs: xs, gs: gs, dx: xGradient?.storage.pointer, dg: guideGradient?.storage.pointer)
                }
            }
        }
        return (xGradient, guideGradient)
    }

    func scatter(image: Int, offset: NeighbourOffset, scale: Float,
                 weights: UnsafePointer<Float>, variations: UnsafePointer<Float>,
                 xs: UnsafePointer<Float>, gs: UnsafePointer<Float>,
                 dx: UnsafeMutablePointer<Float>?, dg: UnsafeMutablePointer<Float>?) {
        let (rows, columns) = region(offset)
        let shift = offset.rows * width + offset.columns
        let xBase = image * channels * planeSize, gBase = image * guideChannels * planeSize
        for row in rows {
            for column in columns {
                let p = row * width + column
                let weight = weights[p]
                if let dx {
                    let coefficient = scale * weight
                    for channel in 0..<channels {
                        let at = xBase + channel * planeSize + p
                        let difference = xs[at + shift] - xs[at]
                        let step = difference > 0 ? coefficient : (difference < 0 ? -coefficient : 0)
                        dx[at + shift] += step
                        dx[at] -= step
                    }
                }
                if let dg {
                    let coefficient = scale * 2 * weightScale * weight * variations[p]
                    for channel in 0..<guideChannels {
                        let at = gBase + channel * planeSize + p
                        let step = coefficient * (gs[at + shift] - gs[at])
                        dg[at + shift] += step
                        dg[at] -= step
                    }
                }
            }
        }
    }
}
