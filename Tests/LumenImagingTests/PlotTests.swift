import LumenImaging
import LumenIO
import Testing

@Suite struct PlotTests {
    @Test func lineChartDrawsEachSeriesInItsColour() {
        let plot = LinePlot(title: "loss", xLabel: "step", series: [
            .init(name: "total", points: [(0, 4), (1, 2), (2, 1)]),
            .init(name: "exposure", points: [(0, 1), (1, 0.5), (2, 0.25)]),
        ], logarithmic: true)
        let image = plot.render(width: 400, height: 300)
        #expect(image.width == 400 && image.height == 300 && image.channels == 3)
        func count(_ color: Canvas.Color) -> Int {
            stride(from: 0, to: image.samples.count, by: 3).filter {
                image.samples[$0] == UInt16(color.red) && image.samples[$0 + 1] == UInt16(color.green)
                    && image.samples[$0 + 2] == UInt16(color.blue)
            }.count
        }
        #expect(count(Canvas.Color.series[0]) > 100)
        #expect(count(Canvas.Color.series[1]) > 100)
    }

    @Test func emptyChartSaysSo() {
        let image = LinePlot(title: "empty", xLabel: "step", series: []).render(width: 200, height: 100)
        #expect(image.samples.contains(0))
    }

    @Test func textIsDrawnWithTheBitmapFont() {
        var canvas = Canvas(width: 40, height: 20)
        canvas.drawText("1", x: 0, y: 0, scale: 1)
        // The glyph of "1" has 10 set pixels.
        #expect(canvas.image.samples.filter { $0 == 0 }.count == 10 * 3)
    }
}
