import LumenTensor

/// Runs a model tile by tile so that memory stays bounded on large photos.
///
/// Each output tile is computed from the input tile grown by a halo of at least
/// the model's receptive radius (clamped at the image border), and only the
/// tile's core is kept. Because no output pixel of the core sees past the halo,
/// and the image border is padded exactly as in whole-image inference, the
/// stitched result equals whole-image inference up to float rounding.
public struct TiledInference: Sendable {
    /// The side of each output tile, in pixels.
    public var tileSize: Int

    /// - Parameter tileSize: output tile side; at least 16.
    public init(tileSize: Int) {
        precondition(tileSize >= 16, "tile size must be at least 16 pixels, got \(tileSize)")
        self.tileSize = tileSize
    }

    /// Enhances `image` `[N, 3, H, W]` tile by tile with `model`, which must have a
    /// finite receptive radius.
    /// - Parameter progress: called after each tile with (tiles done, tiles in all).
    public func run(_ model: some TensorEnhancer, on image: Tensor,
                    progress: (Int, Int) -> Void = { _, _ in }) -> Tensor {
        guard let halo = model.receptiveRadius else {
            preconditionFailure("\(type(of: model)) has no finite receptive field: it cannot be tiled exactly")
        }
        return run(on: image, halo: halo, alignment: model.tileAlignment, progress: progress) { model.enhanced($0) }
    }

    /// Applies `apply` to `image` `[N, C, H, W]` tile by tile and stitches the results.
    ///
    /// - Parameters:
    ///   - halo: input pixels that an output pixel can see on each side (the receptive radius).
    ///   - scale: the output is `scale` times the input on both axes (super-resolution), 1 otherwise.
    ///   - alignment: tile windows start at multiples of this (and end at one, or at the
    ///     border), for networks whose stride pattern repeats every `alignment` pixels.
    ///   - apply: the network on one window `[N, C, h, w]`, giving `[N, C', h·scale, w·scale]`.
    public func run(on image: Tensor, halo: Int, scale: Int = 1, alignment: Int = 1,
                    progress: (Int, Int) -> Void = { _, _ in }, _ apply: (Tensor) -> Tensor) -> Tensor {
        var output: Tensor?
        forEachTile(of: image, halo: halo, scale: scale, alignment: alignment, progress: progress, apply) { tile, rows, columns in
            if rows.count == image.shape[2] * scale && columns.count == image.shape[3] * scale {
                output = tile  // a single tile: the whole result
                return
            }
            let stitched = output ?? Tensor(zeros: [image.shape[0], tile.shape[1], image.shape[2] * scale, image.shape[3] * scale])
            stitched.paste(tile, row: rows.lowerBound, column: columns.lowerBound)
            output = stitched
        }
        return output!
    }

    /// Computes `apply` on `image` `[N, C, H, W]` tile by tile and hands each output
    /// tile to `consume` with the output rows and columns it covers, in row order:
    /// for callers that turn tiles into samples at once rather than hold the whole
    /// result. Parameters as in ``run(on:halo:scale:alignment:progress:_:)``.
    public func forEachTile(of image: Tensor, halo: Int, scale: Int = 1, alignment: Int = 1,
                            progress: (Int, Int) -> Void = { _, _ in }, _ apply: (Tensor) -> Tensor,
                            consume: (Tensor, Range<Int>, Range<Int>) -> Void) {
        precondition(halo >= 0 && scale >= 1 && alignment >= 1, "halo \(halo), scale \(scale), alignment \(alignment)")
        let height = image.shape[2], width = image.shape[3]
        let tiles = TileGrid(height: height, width: width, tileSize: tileSize)
        if tiles.count == 1 {
            consume(withoutGradients { apply(image) }, 0 ..< height * scale, 0 ..< width * scale)
            progress(1, 1)
            return
        }
        for (index, (rowRange, columnRange)) in tiles.enumerated() {
            let inputRows = Self.window(around: rowRange, halo: halo, tileSize: tileSize, extent: height, alignment: alignment)
            let inputColumns = Self.window(around: columnRange, halo: halo, tileSize: tileSize, extent: width, alignment: alignment)
            let tile = withoutGradients { () -> Tensor in
                let input = image.sliced(axis: 2, range: inputRows).sliced(axis: 3, range: inputColumns)
                let result = apply(input)
                let top = (rowRange.lowerBound - inputRows.lowerBound) * scale
                let left = (columnRange.lowerBound - inputColumns.lowerBound) * scale
                return result.sliced(axis: 2, range: top ..< top + rowRange.count * scale)
                    .sliced(axis: 3, range: left ..< left + columnRange.count * scale)
            }
            consume(tile, rowRange.lowerBound * scale ..< rowRange.upperBound * scale,
                    columnRange.lowerBound * scale ..< columnRange.upperBound * scale)
            progress(index + 1, tiles.count)
        }
    }

    /// The input rows (or columns) for the output `core`: `tileSize + 2·halo` long
    /// (rounded up to the alignment) wherever the image allows, shifted to stay inside
    /// the image rather than cut at its border. Every tile then has the same input
    /// size, so each tile reuses the previous tile's buffers (``StoragePool`` size
    /// classes) and peak memory stays that of one tile. The core keeps at least `halo`
    /// pixels from every window edge that is not the image border, which is what
    /// exactness needs; the window starts at a multiple of `alignment` and is a
    /// multiple of it long unless it ends at the border.
    static func window(around core: Range<Int>, halo: Int, tileSize: Int, extent: Int, alignment: Int = 1) -> Range<Int> {
        func down(_ value: Int) -> Int { value / alignment * alignment }
        let length = (tileSize + 2 * halo + alignment - 1 + alignment - 1) / alignment * alignment
        guard extent > length else { return 0..<extent }
        let start = Swift.min(down(Swift.max(core.lowerBound - halo, 0)), down(extent - length))
        let needed = Swift.max(length, core.upperBound + halo - start)
        return start ..< Swift.min(start + (needed + alignment - 1) / alignment * alignment, extent)
    }
}

/// The output tiles of an image, row by row: `tileSize` squares, smaller at the
/// right and bottom edges.
struct TileGrid: RandomAccessCollection {
    let rowRanges: [Range<Int>], columnRanges: [Range<Int>]

    init(height: Int, width: Int, tileSize: Int) {
        rowRanges = stride(from: 0, to: height, by: tileSize).map { $0 ..< Swift.min($0 + tileSize, height) }
        columnRanges = stride(from: 0, to: width, by: tileSize).map { $0 ..< Swift.min($0 + tileSize, width) }
    }

    var startIndex: Int { 0 }
    var endIndex: Int { rowRanges.count * columnRanges.count }
    subscript(index: Int) -> (rows: Range<Int>, columns: Range<Int>) {
        (rowRanges[index / columnRanges.count], columnRanges[index % columnRanges.count])
    }
}
