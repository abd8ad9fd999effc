import Foundation

/// A horizontal bar chart of named values, rendered as standalone SVG (metric
/// means per method in evaluation reports).
public struct BarChart: Sendable {
    /// One bar.
    public struct Bar: Sendable {
        public let label: String
        public let value: Double
        public init(label: String, value: Double) { (self.label, self.value) = (label, value) }
    }

    public var title: String
    public var bars: [Bar]
    /// Printed under the title, e.g. "higher is better".
    public var note: String

    public init(title: String, bars: [Bar], note: String = "") {
        (self.title, self.bars, self.note) = (title, bars, note)
    }

    /// The chart as an SVG document `width` pixels wide; the height grows with the bars.
    /// Bars start at zero (or at the most negative value); the best bar is not
    /// singled out, the note says which way is better.
    public func svg(width: Int = 560) -> String {
        let (barHeight, gap, top, labelWidth, valueWidth) = (18, 6, 48, 170, 70)
        let height = top + bars.count * (barHeight + gap) + 12
        let low = min(0, bars.map(\.value).min() ?? 0), high = max(0, bars.map(\.value).max() ?? 0)
        let span = high - low > 0 ? high - low : 1
        let plotWidth = Double(width - labelWidth - valueWidth)
        func x(_ value: Double) -> Double { Double(labelWidth) + (value - low) / span * plotWidth }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
            font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="8" y="18" font-size="14" font-weight="bold">\(Self.escaped(title))</text>
            <text x="8" y="34" fill="#666">\(Self.escaped(note))</text>

            """
        for (index, bar) in bars.enumerated() {
            let y = top + index * (barHeight + gap)
            let start = x(min(0, bar.value)), end = x(max(0, bar.value))
            let color = Canvas.Color.series[index % Canvas.Color.series.count]
            svg += """
                <text x="\(labelWidth - 6)" y="\(y + 13)" text-anchor="end">\(Self.escaped(bar.label))</text>
                <rect x="\(String(format: "%.1f", start))" y="\(y)" width="\(String(format: "%.1f", max(end - start, 1)))" \
                height="\(barHeight)" fill="rgb(\(color.red),\(color.green),\(color.blue))"/>
                <text x="\(String(format: "%.1f", end + 4))" y="\(y + 13)">\(LinePlot.format(bar.value))</text>

                """
        }
        return svg + "</svg>\n"
    }

    /// `text` with the five XML special characters escaped.
    public static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
