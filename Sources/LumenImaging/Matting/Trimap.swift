import LumenIO

/// A trimap: every pixel is background (0), unknown (128) or foreground (255), as
/// Adobe's Deep Image Matting data stores them. The unknown-region matting metrics
/// score the pixels marked 128.
public struct Trimap: Sendable, Equatable {
    /// The stored value of each kind of pixel.
    public static let background: UInt8 = 0
    public static let unknown: UInt8 = 128
    public static let foreground: UInt8 = 255

    public let width: Int
    public let height: Int
    /// `width · height` values, each 0, 128 or 255, row by row.
    public let values: [UInt8]

    public init(width: Int, height: Int, values: [UInt8]) throws(MattingError) {
        precondition(width > 0 && height > 0 && values.count == width * height,
                     "\(values.count) values for a \(width) x \(height) trimap")
        let invalid = values.filter { $0 != Self.background && $0 != Self.unknown && $0 != Self.foreground }
        if let example = invalid.first { throw .invalidTrimapValues(count: invalid.count, example: Int(example)) }
        (self.width, self.height, self.values) = (width, height, values)
    }

    /// The trimap stored in an image file: gray (or equal-channel RGB) 8-bit values
    /// 0, 128 and 255 only. Other values are refused rather than guessed at, since a
    /// trimap re-saved as JPEG no longer says which pixels are unknown.
    public init(image: Image) throws(MattingError) {
        guard image.isOpaque else { throw .transparent }
        let rgb = image.colorChannels
        let levels = try Matte.grayLevels(of: rgb.bitDepth == 8 ? rgb : rgb.converted(toBitDepth: 8))
        try self.init(width: image.width, height: image.height, values: levels)
    }

    /// The trimap of a ground-truth matte: unknown within `radius` pixels (Euclidean)
    /// of any pixel whose alpha is strictly between 0 and 1 or that lies on a hard
    /// edge (an opaque pixel with a transparent 4-neighbour, and that neighbour), so
    /// that a binary mask gets a band too; elsewhere foreground where alpha is 1 and
    /// background where it is 0. Radius 0 marks exactly the soft and edge pixels.
    public init(groundTruth matte: Matte, unknownRadius radius: Int) {
        precondition(radius >= 0, "trimap radius \(radius)")
        let (width, height) = (matte.width, matte.height)
        let levels = matte.levels
        var seeds = [Bool](repeating: false, count: levels.count)
        for y in 0..<height {
            for x in 0..<width {
                let index = y * width + x, level = levels[index]
                if level != 0 && level != 255 { seeds[index] = true; continue }
                // A hard edge: the 4-neighbour to the right or below is the opposite extreme.
                let opposite = 255 - level
                if x + 1 < width, levels[index + 1] == opposite { seeds[index] = true; seeds[index + 1] = true }
                if y + 1 < height, levels[index + width] == opposite { seeds[index] = true; seeds[index + width] = true }
            }
        }
        let distances = squaredDistanceTransform(seeds, width: width, height: height)
        let limit = radius * radius
        let values = levels.indices.map { index -> UInt8 in
            if distances[index] <= limit { return Self.unknown }
            return levels[index] == 255 ? Self.foreground : Self.background
        }
        (self.width, self.height, self.values) = (width, height, values)
    }

    /// How many pixels are unknown.
    public var unknownCount: Int { values.reduce(0) { $0 + ($1 == Self.unknown ? 1 : 0) } }

    /// The trimap as an 8-bit gray image.
    public var image: Image {
        Image(width: width, height: height, channels: 1, bitDepth: 8, samples: values.map(UInt16.init))
    }
}

/// The squared Euclidean distance from every pixel to the nearest `true` one
/// (`Int.max / 4` when there is none), exactly, in two passes of Felzenszwalb and
/// Huttenlocher's lower envelope of parabolas: O(pixels) whatever the radius.
func squaredDistanceTransform(_ seeds: [Bool], width: Int, height: Int) -> [Int] {
    let infinity = Int.max / 4
    var distances = seeds.map { $0 ? 0 : infinity }
    var column = [Int](repeating: 0, count: height), row = [Int](repeating: 0, count: width)
    for x in 0..<width {
        for y in 0..<height { column[y] = distances[y * width + x] }
        let transformed = lowerEnvelope(column, infinity: infinity)
        for y in 0..<height { distances[y * width + x] = transformed[y] }
    }
    for y in 0..<height {
        for x in 0..<width { row[x] = distances[y * width + x] }
        let transformed = lowerEnvelope(row, infinity: infinity)
        for x in 0..<width { distances[y * width + x] = transformed[x] }
    }
    return distances
}

/// One-dimensional squared distance transform: `min_q (p − q)² + f(q)`.
private func lowerEnvelope(_ f: [Int], infinity: Int) -> [Int] {
    let count = f.count
    let sources = f.indices.filter { f[$0] < infinity }
    guard !sources.isEmpty else { return f }
    // Where parabola q (centred on q, raised by f[q]) meets parabola r.
    func meets(_ q: Int, _ r: Int) -> Double {
        Double((f[q] + q * q) - (f[r] + r * r)) / Double(2 * (q - r))
    }
    var hull = [Int](), bounds = [Double]()
    for q in sources {
        while let last = hull.last, let bound = bounds.last, meets(q, last) <= bound {
            hull.removeLast()
            bounds.removeLast()
        }
        bounds.append(hull.last.map { meets(q, $0) } ?? -.infinity)
        hull.append(q)
    }
    var result = [Int](repeating: 0, count: count)
    var segment = 0
    for p in 0..<count {
        while segment + 1 < hull.count, bounds[segment + 1] < Double(p) { segment += 1 }
        let q = hull[segment]
        result[p] = (p - q) * (p - q) + f[q]
    }
    return result
}
