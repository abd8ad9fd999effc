import Foundation

/// A procedural foreground matte that has what makes matting hard: a soft or hard
/// outline, holes, a semi-transparent veil and thin hair-like strands. The
/// parameters are drawn once (``sample(using:)``) and the matte rendered from them
/// at any size (``rendered(width:height:)``), so `parameters.json` replays a sample.
///
/// Lengths are fractions of the shorter side, except the edge and strand widths,
/// which are in pixels of the rendered size.
///
/// ```swift
/// var generator = SplitMix64(seed: 3)
/// let matte = SyntheticMatte.sample(using: &generator).rendered(width: 320, height: 320)
/// ```
public struct SyntheticMatte: Codable, Sendable, Equatable {
    /// An ellipse, centred at (`x`, `y`) (fractions of width and height).
    public struct Ellipse: Codable, Sendable, Equatable {
        public var x: Float, y: Float
        public var radiusX: Float, radiusY: Float
        /// The width of its soft border in pixels.
        public var edgeWidth: Float
    }

    /// One hair-like strand leaving the outline.
    public struct Strand: Codable, Sendable, Equatable {
        /// Where on the outline it starts (radians around the centre).
        public var angle: Float
        /// Its initial direction relative to the outward radial direction (radians).
        public var heading: Float
        /// How fast the direction turns, radians per unit length, and its change.
        public var curvature: Float, curvatureChange: Float
        public var length: Float
        /// In pixels.
        public var width: Float
        public var opacity: Float
    }

    /// The outline's centre (fractions of width and height).
    public var centerX: Float, centerY: Float
    /// Mean radius of the outline.
    public var radius: Float
    /// The outline is `radius · (1 + Σ aₖ cos(kθ + φₖ))`, k = 1, 2, …: amplitudes and phases.
    public var amplitudes: [Float], phases: [Float]
    /// The outline's soft border in pixels (about 1 is a hard, antialiased edge).
    public var edgeWidth: Float
    public var holes: [Ellipse]
    /// A semi-transparent region over the outline, and its opacity.
    public var veil: Ellipse?, veilOpacity: Float
    public var strands: [Strand]

    /// Random parameters: an outline of 4 harmonics, an edge from hard to 8 px
    /// soft, up to two holes, a veil half the time, and 0 to 120 strands.
    public static func sample(using generator: inout some RandomNumberGenerator) -> SyntheticMatte {
        func uniform(_ range: ClosedRange<Float>) -> Float { Float.random(in: range, using: &generator) }
        let radius = uniform(0.2...0.32)
        let amplitudes = (1...4).map { k in uniform(0...(0.22 / Float(k))) }
        let phases = (1...4).map { _ in uniform(0...(2 * .pi)) }
        let hard = uniform(0...1) < 0.3
        let edgeWidth = hard ? uniform(0.8...1.2) : uniform(1.5...8)
        let (centerX, centerY) = (uniform(0.38...0.62), uniform(0.38...0.62))
        let holes = (0..<Int.random(in: 0...2, using: &generator)).map { _ in
            Ellipse(x: centerX + uniform(-0.4...0.4) * radius, y: centerY + uniform(-0.4...0.4) * radius,
                    radiusX: uniform(0.08...0.22) * radius, radiusY: uniform(0.08...0.22) * radius,
                    edgeWidth: uniform(0.8...4))
        }
        var veil: Ellipse?
        var veilOpacity: Float = 0
        if uniform(0...1) < 0.5 {
            let angle = uniform(0...(2 * .pi))
            veil = Ellipse(x: centerX + cos(angle) * radius, y: centerY + sin(angle) * radius,
                           radiusX: uniform(0.3...0.6) * radius, radiusY: uniform(0.3...0.6) * radius,
                           edgeWidth: uniform(2...12))
            veilOpacity = uniform(0.2...0.7)
        }
        let strandCount = uniform(0...1) < 0.2 ? 0 : Int.random(in: 10...120, using: &generator)
        let tuftAngle = uniform(0...(2 * .pi)), tuftSpread = uniform(0.4...(2 * .pi))
        let strands = (0..<strandCount).map { _ in
            Strand(angle: tuftAngle + uniform(-0.5...0.5) * tuftSpread, heading: uniform(-0.7...0.7),
                   curvature: uniform(-6...6), curvatureChange: uniform(-20...20),
                   length: uniform(0.04...0.22), width: uniform(0.4...1.6), opacity: uniform(0.5...1))
        }
        return SyntheticMatte(centerX: centerX, centerY: centerY, radius: radius, amplitudes: amplitudes,
                              phases: phases, edgeWidth: edgeWidth, holes: holes, veil: veil,
                              veilOpacity: veilOpacity, strands: strands)
    }

    /// The outline's radius at angle `theta`, as a fraction of the shorter side.
    func outlineRadius(_ theta: Float) -> Float {
        var factor: Float = 1
        for (k, (amplitude, phase)) in zip(amplitudes, phases).enumerated() {
            factor += amplitude * cos(Float(k + 1) * theta + phase)
        }
        return radius * factor
    }

    /// The matte at `width x height`: the outline's coverage with the holes taken
    /// out, the veil and the strands laid over it, rounded to 8-bit levels.
    public func rendered(width: Int, height: Int) -> Matte {
        let side = Float(min(width, height))
        let (cx, cy) = (centerX * Float(width), centerY * Float(height))
        var alpha = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let (px, py) = (Float(x) + 0.5, Float(y) + 0.5)
                let (dx, dy) = (px - cx, py - cy)
                let distance = (dx * dx + dy * dy).squareRoot()
                var value = ramp((outlineRadius(atan2(dy, dx)) * side - distance) / edgeWidth)
                for hole in holes { value *= 1 - coverage(of: hole, x: px, y: py, width: width, height: height) }
                if let veil {
                    let cover = veilOpacity * coverage(of: veil, x: px, y: py, width: width, height: height)
                    value = 1 - (1 - value) * (1 - cover)
                }
                alpha[y * width + x] = value
            }
        }
        for strand in strands { draw(strand, into: &alpha, width: width, height: height, side: side, center: (cx, cy)) }
        return Matte(width: width, height: height, levels: alpha.map { UInt8((min(max($0, 0), 1) * 255).rounded()) })
    }

    /// `0.5 + t` clamped to `[0, 1]`: the coverage of a pixel `t` edge widths inside.
    private func ramp(_ t: Float) -> Float { min(max(0.5 + t, 0), 1) }

    private func coverage(of ellipse: Ellipse, x: Float, y: Float, width: Int, height: Int) -> Float {
        let side = Float(min(width, height))
        let (a, b) = (ellipse.radiusX * side, ellipse.radiusY * side)
        let (dx, dy) = (x - ellipse.x * Float(width), y - ellipse.y * Float(height))
        let normalized = ((dx / a) * (dx / a) + (dy / b) * (dy / b)).squareRoot()
        return ramp((1 - normalized) * min(a, b) / ellipse.edgeWidth)
    }

    /// Lays a strand over `alpha`: a curve from the outline stepped a pixel at a time,
    /// each pixel covered by its distance to the curve (the maximum along the strand),
    /// then combined with what is there as `1 − (1 − α)(1 − c)`.
    private func draw(_ strand: Strand, into alpha: inout [Float], width: Int, height: Int,
                      side: Float, center: (Float, Float)) {
        let start = outlineRadius(strand.angle) * side - edgeWidth
        var point = (center.0 + cos(strand.angle) * start, center.1 + sin(strand.angle) * start)
        var direction = strand.angle + strand.heading
        let steps = max(2, Int(strand.length * side))
        var path = [point]
        for step in 0..<steps {
            let t = Float(step) / side
            direction += (strand.curvature + strand.curvatureChange * t) / side
            point = (point.0 + cos(direction), point.1 + sin(direction))
            path.append(point)
        }
        let reach = strand.width / 2 + 1
        let xs = path.map(\.0), ys = path.map(\.1)
        let minX = max(0, Int((xs.min()! - reach).rounded(.down))), maxX = min(width - 1, Int((xs.max()! + reach).rounded(.up)))
        let minY = max(0, Int((ys.min()! - reach).rounded(.down))), maxY = min(height - 1, Int((ys.max()! + reach).rounded(.up)))
        guard minX <= maxX, minY <= maxY else { return }
        let boxWidth = maxX - minX + 1
        var cover = [Float](repeating: 0, count: boxWidth * (maxY - minY + 1))
        for (from, to) in zip(path, path.dropFirst()) {
            let lowX = max(minX, Int((min(from.0, to.0) - reach).rounded(.down)))
            let highX = min(maxX, Int((max(from.0, to.0) + reach).rounded(.up)))
            let lowY = max(minY, Int((min(from.1, to.1) - reach).rounded(.down)))
            let highY = min(maxY, Int((max(from.1, to.1) + reach).rounded(.up)))
            guard lowX <= highX, lowY <= highY else { continue }
            for y in lowY...highY {
                for x in lowX...highX {
                    let distance = segmentDistance((Float(x) + 0.5, Float(y) + 0.5), from, to)
                    let value = strand.opacity * min(max(strand.width / 2 + 0.5 - distance, 0), 1)
                    let index = (y - minY) * boxWidth + (x - minX)
                    cover[index] = max(cover[index], value)
                }
            }
        }
        for y in minY...maxY {
            for x in minX...maxX {
                let value = cover[(y - minY) * boxWidth + (x - minX)]
                alpha[y * width + x] = 1 - (1 - alpha[y * width + x]) * (1 - value)
            }
        }
    }
}

/// The distance from `point` to the segment `from`–`to`.
private func segmentDistance(_ point: (Float, Float), _ from: (Float, Float), _ to: (Float, Float)) -> Float {
    let (vx, vy) = (to.0 - from.0, to.1 - from.1)
    let (wx, wy) = (point.0 - from.0, point.1 - from.1)
    let lengthSquared = vx * vx + vy * vy
    let t = lengthSquared > 0 ? min(max((wx * vx + wy * vy) / lengthSquared, 0), 1) : 0
    let (dx, dy) = (wx - t * vx, wy - t * vy)
    return (dx * dx + dy * dy).squareRoot()
}
