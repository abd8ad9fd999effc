import Foundation
import Lumen
import LumenEvaluation
import LumenTestSupport
import Testing

@Suite struct EvaluationReportTests {
    @Test(.fixtures(EvaluationPairs.source))
    func writesTablesChartsAndASelfContainedPage() throws {
        let pairs = try EvaluationPairs(count: 2)
        defer { pairs.remove() }
        let set = try EvaluationSet(data: pairs.low, reference: pairs.high)
        let results = Evaluation(methods: [EvaluatedMethod(label: "auto-levels", enhancer: ClassicalEnhancer(.autoLevels))],
                                 metrics: [.psnr, .ssim, .colorfulness])
            .run(set, imagesFolder: nil) { _, _, _ in }
        let folder = pairs.root.appendingPathComponent("report")
        try EvaluationReport.write(results, to: folder)

        func text(_ name: String) throws -> String { try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }
        let csv = try text("summary.csv").split(separator: "\n")
        #expect(csv.first == "method,images,ms_per_image,psnr,ssim,colorfulness")
        #expect(csv.dropFirst().map { $0.split(separator: ",").first.map(String.init) } == ["input", "auto-levels"])
        let json = try JSONSerialization.jsonObject(with: Data(text("summary.json").utf8)) as? [String: Any]
        let methods = try #require(json?["methods"] as? [[String: Any]])
        #expect(methods.count == 2 && (methods[1]["means"] as? [String: Double])?["ssim"] != nil)
        let markdown = try text("summary.md").split(separator: "\n")
        #expect(markdown.count == 4 && markdown[0].hasPrefix("| method | images | ms/image | PSNR (dB) ↑"))
        #expect(try text("per-image.csv").split(separator: "\n").count == 1 + 2 * 2)
        for metric in ["psnr", "ssim", "colorfulness"] {
            #expect(try text("charts/\(metric).svg").hasPrefix("<svg"))
        }
        let html = try text("report.html")
        #expect(html.components(separatedBy: "<img ").count - 1 == 2 * 3)
        #expect(html.components(separatedBy: "<svg ").count - 1 == 3)
        #expect(html.contains("data:image/jpeg;base64,") && !html.contains("src=\"http"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("problems.txt").path))
        let lines = SummaryTable(results).terminalText.split(separator: "\n")
        #expect(lines.count == 4 && Set(lines.map(\.count)).count == 1)
    }
}
