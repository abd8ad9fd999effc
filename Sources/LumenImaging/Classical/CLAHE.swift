import LumenTensor

/// Contrast-limited adaptive histogram equalisation (Zuiderveld, Graphics Gems IV,
/// 1994) of lightness: OpenCV's `createCLAHE(clipLimit, tileGridSize).apply` on the L
/// channel of 8-bit Lab (`cv2.COLOR_BGR2Lab`, then back), bit for bit.
///
/// As in OpenCV (`imgproc/src/clahe.cpp`): an image whose size is not a multiple of
/// the grid is padded at the bottom and right with `BORDER_REFLECT_101` by
/// `grid − size % grid` in both directions (a whole extra tile row or column where
/// one size already divides), and the tiles cover the padded image; each tile's
/// 256-bin histogram is clipped at `max(⌊clipLimit · tileArea / 256⌋, 1)`, the excess
/// spread evenly with the remainder added one count at a time every
/// `max(256 / remainder, 1)` bins from bin 0; the tile's mapping is
/// `rint(cdf · 255 / tileArea)`; each pixel blends the mappings of the four nearest
/// tile centres bilinearly, in single precision.
///
/// ```swift
/// let enhanced = CLAHE(clipLimit: 2, tileGrid: 8).applied(to: image)
/// ```
public struct CLAHE: Equatable, Sendable {
    /// Contrast limit relative to a flat histogram; 0 or less disables clipping.
    public let clipLimit: Double
    /// Tiles along the height and the width.
    public let tileGrid: Pair

    /// Creates the method with OpenCV's parameters; the defaults are the usual
    /// `clipLimit=2.0, tileGridSize=(8, 8)`.
    public init(clipLimit: Double = 2, tileGrid: Pair = 8) {
        precondition(tileGrid.first >= 1 && tileGrid.second >= 1, "tile grid \(tileGrid); expected at least 1 x 1")
        self.clipLimit = clipLimit
        self.tileGrid = tileGrid
    }

    /// Equalises the lightness of each image.
    /// - Parameter image: RGB image `[N, 3, H, W]` in `[0, 1]`.
    /// - Returns: The same shape, values `Float(v8) / 255`.
    public func applied(to image: Tensor) -> Tensor {
        mappingImageBuffers(image) { image in
            var lab = image.quantizedPlanes { FixedPointLab.fromRGB($0, to: $1, count: $2) }
            lab[0] = equalized(lab[0])
            image.writeConverted(lab) { FixedPointLab.toRGB($0, to: $1, count: $2) }
        }
    }

    /// CLAHE of one byte plane.
    func equalized(_ plane: Plane<UInt8>) -> Plane<UInt8> {
        let (tilesX, tilesY) = (tileGrid.second, tileGrid.first)
        let (width, height) = (plane.width, plane.height)
        let divides = width % tilesX == 0 && height % tilesY == 0
        let tileWidth = (divides ? width : width + tilesX - width % tilesX) / tilesX
        let tileHeight = (divides ? height : height + tilesY - height % tilesY) / tilesY
        let tables = tileMappings(plane, tileWidth: tileWidth, tileHeight: tileHeight)
        return interpolated(plane, tables: tables, tileWidth: tileWidth, tileHeight: tileHeight)
    }

    /// The 256-entry mapping of each tile of the padded plane, row by row of tiles.
    private func tileMappings(_ plane: Plane<UInt8>, tileWidth: Int, tileHeight: Int) -> [UInt8] {
        let (tilesX, tilesY) = (tileGrid.second, tileGrid.first)
        let width = plane.width
        // Padded coordinates → source coordinates, instead of a padded copy.
        let columns = (0 ..< tileWidth * tilesX).map { reflected101($0, count: width) }
        let rows = (0 ..< tileHeight * tilesY).map { reflected101($0, count: plane.height) }
        let tileArea = tileWidth * tileHeight
        let limit = clipLimit > 0 ? max(Int(clipLimit * Double(tileArea) / 256), 1) : 0
        let scale = Float(255) / Float(tileArea)
        var tables = [UInt8](repeating: 0, count: tilesX * tilesY * 256)
        plane.values.withUnsafeBufferPointer { source in
            columns.withUnsafeBufferPointer { columns in
                tables.withUnsafeMutableBufferPointer { tables in
                    let (source, columns, tables) = (source.baseAddress!, columns.baseAddress!, tables.baseAddress!)
                    parallelFor(tilesX * tilesY) { range in
                        for tile in range {
                            let (tileX, tileY) = (tile % tilesX, tile / tilesX)
                            var histogram = [Int](repeating: 0, count: 256)
                            histogram.withUnsafeMutableBufferPointer { histogram in
                                let tileColumns = columns + tileX * tileWidth
                                for row in rows[tileY * tileHeight ..< (tileY + 1) * tileHeight] {
                                    let line = source + row * width
                                    for x in 0..<tileWidth { histogram[Int(line[tileColumns[x]])] += 1 }
                                }
                            }
                            if limit > 0 { Self.clip(&histogram, at: limit) }
                            var sum = 0
                            for level in 0..<256 {
                                sum += histogram[level]
                                tables[tile * 256 + level] = roundedByte(Float(sum) * scale)
                            }
                        }
                    }
                }
            }
        }
        return tables
    }

    /// Clips `histogram` at `limit` and redistributes the excess as OpenCV does.
    private static func clip(_ histogram: inout [Int], at limit: Int) {
        var clipped = 0
        for level in 0..<256 where histogram[level] > limit {
            clipped += histogram[level] - limit
            histogram[level] = limit
        }
        let batch = clipped / 256
        var residual = clipped - batch * 256
        for level in 0..<256 { histogram[level] += batch }
        if residual > 0 {
            let step = max(256 / residual, 1)
            var level = 0
            while level < 256 && residual > 0 {
                histogram[level] += 1
                level += step
                residual -= 1
            }
        }
    }

    /// Where column `x` reads the left and right tiles' mappings (offsets into a
    /// row of tables) and their weights.
    private struct ColumnBlend {
        var left = 0, right = 0
        var leftWeight: Float = 0, rightWeight: Float = 0
    }

    /// Blends the four nearest tiles' mappings per pixel, with OpenCV's float
    /// arithmetic and operation order, so that ties round the same way.
    private func interpolated(_ plane: Plane<UInt8>, tables: [UInt8], tileWidth: Int, tileHeight: Int) -> Plane<UInt8> {
        let (tilesX, tilesY) = (tileGrid.second, tileGrid.first)
        let (width, height) = (plane.width, plane.height)
        let inverseWidth = 1 / Float(tileWidth)
        let blends = (0..<width).map { x in
            let position = Float(x) * inverseWidth - 0.5
            let tile = Int(position.rounded(.down))
            let rightWeight = position - Float(tile)
            return ColumnBlend(left: max(tile, 0) * 256, right: min(tile + 1, tilesX - 1) * 256,
                               leftWeight: 1 - rightWeight, rightWeight: rightWeight)
        }
        let inverseHeight = 1 / Float(tileHeight)
        var output = [UInt8](repeating: 0, count: width * height)
        plane.values.withUnsafeBufferPointer { source in
            tables.withUnsafeBufferPointer { tables in
                blends.withUnsafeBufferPointer { blends in
                    output.withUnsafeMutableBufferPointer { output in
                        let (source, tables, output) = (source.baseAddress!, tables.baseAddress!, output.baseAddress!)
                        parallelFor(height, grain: 8) { range in
                            for y in range {
                                let position = Float(y) * inverseHeight - 0.5
                                let tile = Int(position.rounded(.down))
                                let lowerWeight = position - Float(tile)
                                let upperWeight = 1 - lowerWeight
                                let upper = tables + max(tile, 0) * tilesX * 256
                                let lower = tables + min(tile + 1, tilesY - 1) * tilesX * 256
                                let (line, out) = (source + y * width, output + y * width)
                                for x in 0..<width {
                                    let blend = blends[x]
                                    let (l, r) = (blend.left + Int(line[x]), blend.right + Int(line[x]))
                                    let above = Float(upper[l]) * blend.leftWeight + Float(upper[r]) * blend.rightWeight
                                    let below = Float(lower[l]) * blend.leftWeight + Float(lower[r]) * blend.rightWeight
                                    out[x] = nearestByte(above * upperWeight + below * lowerWeight)
                                }
                            }
                        }
                    }
                }
            }
        }
        return Plane(width: width, height: height, values: output)
    }
}
