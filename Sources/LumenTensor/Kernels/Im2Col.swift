/// Patch unfolding (im2col) and its adjoint, folding (col2im), for one image and
/// one group, over a block of output rows so the patch matrix stays bounded for
/// large photos.
///
/// The patch matrix has one row per `(channel, ky, kx)` and one column per output
/// pixel of the block: `columns[(c * kH + ky) * kW + kx][p]`.
enum Im2Col {
    /// Writes the patches of output rows `rows` of `image` (`channels` planes of
    /// `geometry`'s input size) into `columns`; samples outside the image are 0.
    static func unfold(_ image: UnsafePointer<Float>, channels: Int, geometry g: ConvolutionGeometry,
                       rows: Range<Int>, into columns: UnsafeMutablePointer<Float>) {
        let width = rows.count * g.outWidth
        parallelFor(channels * g.kernelArea) { patchRows in
            for patchRow in patchRows {
                let (c, tap) = patchRow.quotientAndRemainder(dividingBy: g.kernelArea)
                let (ky, kx) = tap.quotientAndRemainder(dividingBy: g.kernelWidth)
                var target = columns + patchRow * width
                for oy in rows {
                    defer { target += g.outWidth }
                    let iy = oy * g.stride.first - g.padding.first + ky * g.dilation.first
                    guard iy >= 0 && iy < g.inHeight else {
                        target.initialize(repeating: 0, count: g.outWidth)
                        continue
                    }
                    let source = image + (c * g.inHeight + iy) * g.inWidth
                    for ox in 0..<g.outWidth {
                        let ix = ox * g.stride.second - g.padding.second + kx * g.dilation.second
                        target[ox] = ix >= 0 && ix < g.inWidth ? source[ix] : 0
                    }
                }
            }
        }
    }

    /// Adds the patch matrix of output rows `rows` back onto `image`, summing where
    /// patches overlap. Each thread owns whole channels, and every pixel sums its
    /// taps in the same order, so the result does not depend on the thread count.
    static func fold(_ columns: UnsafePointer<Float>, channels: Int, geometry g: ConvolutionGeometry,
                     rows: Range<Int>, into image: UnsafeMutablePointer<Float>) {
        let width = rows.count * g.outWidth
        parallelFor(channels) { channelRange in
            for c in channelRange {
                for tap in 0..<g.kernelArea {
                    let (ky, kx) = tap.quotientAndRemainder(dividingBy: g.kernelWidth)
                    var source = columns + (c * g.kernelArea + tap) * width
                    for oy in rows {
                        defer { source += g.outWidth }
                        let iy = oy * g.stride.first - g.padding.first + ky * g.dilation.first
                        guard iy >= 0 && iy < g.inHeight else { continue }
                        let target = image + (c * g.inHeight + iy) * g.inWidth
                        for ox in 0..<g.outWidth {
                            let ix = ox * g.stride.second - g.padding.second + kx * g.dilation.second
                            if ix >= 0 && ix < g.inWidth { target[ix] += source[ox] }
                        }
                    }
                }
            }
        }
    }

    /// Output rows per block: keeps one patch matrix near 16 MiB.
    static func rowsPerBlock(channels: Int, geometry g: ConvolutionGeometry) -> Int {
        max(1, min(g.outHeight, (1 << 22) / max(1, channels * g.kernelArea * g.outWidth)))
    }

    /// `0 ..< outHeight` cut into blocks of ``rowsPerBlock(channels:geometry:)``.
    static func rowBlocks(channels: Int, geometry g: ConvolutionGeometry) -> [Range<Int>] {
        let step = rowsPerBlock(channels: channels, geometry: g)
        return stride(from: 0, to: g.outHeight, by: step).map { $0 ..< min(g.outHeight, $0 + step) }
    }
}
