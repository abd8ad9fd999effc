import LumenIO

/// An RGB drawing surface for charts written as images (loss curves, metric bars).
public struct Canvas: Sendable {
    /// An 8-bit RGB colour.
    public struct Color: Sendable, Hashable {
        public let red, green, blue: UInt8
        public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) { (self.red, self.green, self.blue) = (red, green, blue) }
        public static let white = Color(255, 255, 255), black = Color(0, 0, 0), gray = Color(200, 200, 200)
        /// Distinct colours for series, in order (Tableau 10).
        public static let series: [Color] = [
            Color(31, 119, 180), Color(255, 127, 14), Color(44, 160, 44), Color(214, 39, 40), Color(148, 103, 189),
            Color(140, 86, 75), Color(227, 119, 194), Color(127, 127, 127), Color(188, 189, 34), Color(23, 190, 207),
        ]
    }

    public let width: Int, height: Int
    private var pixels: [UInt16]

    /// A canvas filled with `background`.
    public init(width: Int, height: Int, background: Color = .white) {
        precondition(width > 0 && height > 0, "canvas \(width)x\(height)")
        self.width = width
        self.height = height
        pixels = Array([UInt16(background.red), UInt16(background.green), UInt16(background.blue)].repeated(width * height))
    }

    /// Sets one pixel; points outside the canvas are ignored.
    public mutating func plot(x: Int, y: Int, _ color: Color) {
        guard x >= 0 && x < width && y >= 0 && y < height else { return }
        let base = (y * width + x) * 3
        pixels[base] = UInt16(color.red); pixels[base + 1] = UInt16(color.green); pixels[base + 2] = UInt16(color.blue)
    }

    /// Fills the rectangle with corners (x0, y0) and (x1, y1), inclusive.
    public mutating func fillRectangle(x0: Int, y0: Int, x1: Int, y1: Int, _ color: Color) {
        for y in min(y0, y1)...max(y0, y1) { for x in min(x0, x1)...max(x0, x1) { plot(x: x, y: y, color) } }
    }

    /// Draws a line `thickness` pixels wide (Bresenham, thickened as a square brush).
    public mutating func drawLine(from start: (x: Double, y: Double), to end: (x: Double, y: Double),
                                  _ color: Color, thickness: Int = 1) {
        var x0 = Int(start.x.rounded()), y0 = Int(start.y.rounded())
        let x1 = Int(end.x.rounded()), y1 = Int(end.y.rounded())
        let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        let half = (thickness - 1) / 2
        while true {
            fillRectangle(x0: x0 - half, y0: y0 - half, x1: x0 - half + thickness - 1, y1: y0 - half + thickness - 1, color)
            if x0 == x1 && y0 == y1 { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x0 += sx }
            if doubled <= dx { error += dx; y0 += sy }
        }
    }

    /// Writes `text` with its top-left corner at (x, y), each font pixel `scale` pixels wide.
    public mutating func drawText(_ text: String, x: Int, y: Int, _ color: Color = .black, scale: Int = 2) {
        for (index, character) in text.enumerated() {
            let left = x + index * (BitmapFont.width + 1) * scale
            for (row, bits) in BitmapFont.glyph(character).enumerated() {
                for (column, on) in bits.enumerated() where on {
                    fillRectangle(x0: left + column * scale, y0: y + row * scale,
                                  x1: left + column * scale + scale - 1, y1: y + row * scale + scale - 1, color)
                }
            }
        }
    }

    /// The width in pixels of `text` drawn at `scale`.
    public static func textWidth(_ text: String, scale: Int = 2) -> Int { text.count * (BitmapFont.width + 1) * scale }

    /// The canvas as an 8-bit RGB image.
    public var image: Image { Image(width: width, height: height, channels: 3, bitDepth: 8, samples: pixels) }
}

private extension Array {
    func repeated(_ count: Int) -> [Element] {
        var result: [Element] = []
        result.reserveCapacity(self.count * count)
        for _ in 0..<count { result.append(contentsOf: self) }
        return result
    }
}
