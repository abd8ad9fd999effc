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
        let height = image.shape[2], width = image.shape[3]
        let tiles = TileGrid(height: height, width: width, tileSize: tileSize)
        if tiles.count == 1 {
            defer { progress(1, 1) }
            return withoutGradients { model.enhanced(image) }
        }
        let output = Tensor(zeros: image.shape)
        for (index, (rowRange, columnRange)) in tiles.enumerated() {
            let inputRows = Self.window(around: rowRange, halo: halo, tileSize: tileSize, extent: height)
            let inputColumns = Self.window(around: columnRange, halo: halo, tileSize: tileSize, extent: width)
            let tile = withoutGradients { () -> Tensor in
                let input = image.sliced(axis: 2, range: inputRows).sliced(axis: 3, range: inputColumns)
                let enhanced = model.enhanced(input)
                let top = rowRange.lowerBound - inputRows.lowerBound, left = columnRange.lowerBound - inputColumns.lowerBound
                return enhanced.sliced(axis: 2, range: top ..< top + rowRange.count)
                    .sliced(axis: 3, range: left ..< left + columnRange.count)
            }
            output.paste(tile, row: rowRange.lowerBound, column: columnRange.lowerBound)
            progress(index + 1, tiles.count)
        }
        return output
    }

    /// The input rows (or columns) for the output `core`: `tileSize + 2·halo` long
    /// wherever the image allows, shifted to stay inside the image rather than cut
    /// at its border. Every tile then has the same input size, so each tile reuses
    /// the previous tile's buffers (``StoragePool`` size classes) and peak memory
    /// stays that of one tile. The core keeps at least `halo` pixels from every
    /// window edge that is not the image border, which is what exactness needs.
    static func window(around core: Range<Int>, halo: Int, tileSize: Int, extent: Int) -> Range<Int> {
        let length = tileSize + 2 * halo
        guard extent > length else { return 0..<extent }
        let start = Swift.min(Swift.max(core.lowerBound - halo, 0), extent - length)
        return start ..< start + length
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
