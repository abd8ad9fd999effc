import Foundation
import LumenIO

/// A line chart of one or more series, drawn to an image (loss curves).
public struct LinePlot: Sendable {
    /// One named line.
    public struct Series: Sendable {
        public let name: String
        public let points: [(x: Double, y: Double)]
        public init(name: String, points: [(x: Double, y: Double)]) { (self.name, self.points) = (name, points) }
    }

    public var title: String
    public var xLabel: String
    public var series: [Series]
    /// Plot `log10(y)` (all values must be positive; others are left out).
    public var logarithmic: Bool

    public init(title: String, xLabel: String, series: [Series], logarithmic: Bool = false) {
        (self.title, self.xLabel, self.series, self.logarithmic) = (title, xLabel, series, logarithmic)
    }

    /// Renders the chart at `width x height` pixels.
    public func render(width: Int = 960, height: Int = 540) -> Image {
        var canvas = Canvas(width: width, height: height)
        let (left, right, top, bottom) = (90, 20, 50, height - 60)
        let plotRight = width - right
        let transformed = series.map { line in
            line.points.compactMap { point -> (x: Double, y: Double)? in
                guard point.y.isFinite, !logarithmic || point.y > 0 else { return nil }
                return (point.x, logarithmic ? log10(point.y) : point.y)
            }
        }
        let all = transformed.flatMap { $0 }
        canvas.drawText(title, x: left, y: 14)
        guard let minX = all.map(\.x).min(), let maxX = all.map(\.x).max(),
              let minY = all.map(\.y).min(), let maxY = all.map(\.y).max() else {
            canvas.drawText("no data", x: left, y: height / 2)
            return canvas.image
        }
        let spanX = max(maxX - minX, 1e-12), spanY = max(maxY - minY, 1e-12)
        func position(_ point: (x: Double, y: Double)) -> (x: Double, y: Double) {
            (Double(left) + (point.x - minX) / spanX * Double(plotRight - left),
             Double(bottom) - (point.y - minY) / spanY * Double(bottom - top))
        }
        for tick in 0...4 {
            let value = minY + spanY * Double(tick) / 4
            let y = Double(bottom) - Double(tick) / 4 * Double(bottom - top)
            canvas.drawLine(from: (Double(left), y), to: (Double(plotRight), y), .gray)
            let label = Self.format(logarithmic ? pow(10, value) : value)
            canvas.drawText(label, x: left - 8 - Canvas.textWidth(label, scale: 1), y: Int(y) - 3, scale: 1)
        }
        canvas.drawLine(from: (Double(left), Double(top)), to: (Double(left), Double(bottom)), .black)
        canvas.drawLine(from: (Double(left), Double(bottom)), to: (Double(plotRight), Double(bottom)), .black)
        for (label, x) in [(Self.format(minX), left), (Self.format(maxX), plotRight - Canvas.textWidth(Self.format(maxX), scale: 1))] {
            canvas.drawText(label, x: x, y: bottom + 8, scale: 1)
        }
        canvas.drawText(xLabel, x: (left + plotRight - Canvas.textWidth(xLabel)) / 2, y: bottom + 24)
        for (index, points) in transformed.enumerated() {
            let color = Canvas.Color.series[index % Canvas.Color.series.count]
            for (a, b) in zip(points, points.dropFirst()) { canvas.drawLine(from: position(a), to: position(b), color, thickness: 2) }
            if points.count == 1 { let p = position(points[0]); canvas.fillRectangle(x0: Int(p.x) - 2, y0: Int(p.y) - 2, x1: Int(p.x) + 2, y1: Int(p.y) + 2, color) }
            let legendY = top + 4 + index * 14
            canvas.fillRectangle(x0: plotRight - 150, y0: legendY, x1: plotRight - 140, y1: legendY + 7, color)
            canvas.drawText(series[index].name, x: plotRight - 134, y: legendY, scale: 1)
        }
        return canvas.image
    }

    /// A short number: 3 significant digits, scientific when very large or small.
    static func format(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude < 1e-2 || magnitude >= 1e5) { return String(format: "%.2e", value) }
        return String(format: magnitude >= 100 ? "%.0f" : (magnitude >= 10 ? "%.1f" : "%.3f"), value)
    }
}
