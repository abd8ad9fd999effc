import LumenImaging
import LumenTensor

extension GainUNet {
    /// Context each tile needs beyond its core, in pixels: more than the U-Net's
    /// receptive radius (about 25: three 3x3 convolutions per level at full, half
    /// and quarter resolution, through the skips), and a multiple of 4 so tiles keep
    /// the 2x2 pooling grid of the whole image.
    static let tileHalo = 32

    /// The whole-image result, computed tile by tile so that memory stays that of
    /// one tile (a 24-megapixel photo needs about 18 GB at once).
    ///
    /// The global branch averages the deepest features over the whole image, so
    /// this takes two passes over tiles of the padded image, each with a halo of
    /// ``tileHalo``: the first sums the deepest features of every tile's core into
    /// the global mean; the second decodes each tile with the brightness vector of
    /// that mean. Tiles are aligned to multiples of 4, so every convolution and
    /// pooling sees what it sees on the whole image; only the order of the mean's
    /// sum differs (tested equal within 1e-5).
    /// - Parameter progress: called after each tile of either pass with (done, in all).
    public func enhancedInTiles(_ image: Tensor, tileSize: Int, progress: (Int, Int) -> Void) -> Tensor {
        let (height, width) = (image.shape[2], image.shape[3])
        let tile = max(4, tileSize / 4 * 4)
        guard height > tile || width > tile else {
            defer { progress(1, 1) }
            return enhanced(image)
        }
        return withoutGradients {
            let input = balancesWhite ? grayWorldBalanced(image) : image
            let padded = Self.paddedToMultipleOf4(input)
            let grid = TileGrid(height: padded.shape[2], width: padded.shape[3], tileSize: tile)
            func window(_ rows: Range<Int>, _ columns: Range<Int>) -> (rows: Range<Int>, columns: Range<Int>) {
                (TiledInference.window(around: rows, halo: Self.tileHalo, tileSize: tile, extent: padded.shape[2]),
                 TiledInference.window(around: columns, halo: Self.tileHalo, tileSize: tile, extent: padded.shape[3]))
            }
            func crop(_ tensor: Tensor, _ rows: Range<Int>, _ columns: Range<Int>) -> Tensor {
                tensor.sliced(axis: 2, range: rows).sliced(axis: 3, range: columns)
            }
            /// `range` relative to `origin`, divided by `scale` (4 for the deepest features).
            func offset(_ range: Range<Int>, from origin: Int, scale: Int = 1) -> Range<Int> {
                (range.lowerBound - origin) / scale ..< (range.upperBound - origin) / scale
            }

            var sum: Tensor?
            for (index, (rows, columns)) in grid.enumerated() {
                let (inputRows, inputColumns) = window(rows, columns)
                let deepest = encoded(crop(padded, inputRows, inputColumns)).deepest
                let core = crop(deepest, offset(rows, from: inputRows.lowerBound, scale: 4),
                                offset(columns, from: inputColumns.lowerBound, scale: 4))
                let tileSum = core.sum(axes: [2, 3])
                sum = sum.map { $0 + tileSum } ?? tileSum
                progress(index + 1, 2 * grid.count)
            }
            let brightness = brightness(meanOfDeepest: sum! * (16 / Float(padded.shape[2] * padded.shape[3])))

            let output = Tensor(zeros: image.shape)
            for (index, (rows, columns)) in grid.enumerated() {
                let (inputRows, inputColumns) = window(rows, columns)
                let map = decodedMap(encoded(crop(padded, inputRows, inputColumns)), brightness: brightness)
                let (keptRows, keptColumns) = (rows.clamped(to: 0..<height), columns.clamped(to: 0..<width))
                let tileMap = crop(map, offset(keptRows, from: inputRows.lowerBound), offset(keptColumns, from: inputColumns.lowerBound))
                output.paste(brightened(crop(input, keptRows, keptColumns), by: tileMap),
                             row: keptRows.lowerBound, column: keptColumns.lowerBound)
                progress(grid.count + index + 1, 2 * grid.count)
            }
            return output
        }
    }
}
