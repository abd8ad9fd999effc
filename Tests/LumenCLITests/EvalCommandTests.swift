import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// `lumen eval`, `lumen metrics` and `lumen enhance --method` run as a user would.
@Suite(.tags(.endToEnd)) struct EvalCommandTests {
    @Test(.fixtures(EvaluationPairs.source))
    func evaluatesModelsAndClassicalMethodsIntoAReport() throws {
        let pairs = try EvaluationPairs()
        defer { pairs.remove() }
        let out = pairs.root.appendingPathComponent("report")
        let run = try runLumen(["eval", "--data", pairs.low.path, "--reference", pairs.high.path,
                                "--methods", "zero-dce-pp,clahe,gamma", "--metrics", "psnr,ssim,niqe,loe", "--out", out.path])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("9/9 results"))
        for name in ["summary.csv", "summary.json", "summary.md", "per-image.csv", "report.html",
                     "charts/psnr.svg", "charts/ssim.svg", "charts/niqe.svg", "charts/loe.svg"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        for method in ["zero-dce-pp", "clahe", "gamma"] {
            let images = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("images/" + method).path)
            #expect(images.sorted() == pairs.names)
        }
        let table = run.standardOutput
        #expect(table.contains("PSNR (dB) ↑") && table.contains("NIQE ↓"))
        let rows = table.split(separator: "\n").map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(Array(rows.dropFirst(2).prefix(4)) == ["input", "zero-dce-pp", "clahe", "gamma"])
        #expect(table.contains("report.html"))
    }

    @Test(.fixtures(EvaluationPairs.source))
    func unknownNamesAndBadPairsAreReportedAndTheRestEvaluated() throws {
        let pairs = try EvaluationPairs()
        defer { pairs.remove() }
        try FileManager.default.removeItem(at: pairs.high.appendingPathComponent(pairs.names[1]))
        let out = pairs.root.appendingPathComponent("report")
        let run = try runLumen(["eval", "--data", pairs.low.path, "--reference", pairs.high.path,
                                "--methods", "clahe,sharpen-everything", "--metrics", "psnr,beauty", "--out", out.path])
        #expect(run.status == 1)
        #expect(run.standardError.contains("unknown method 'sharpen-everything'"))
        #expect(run.standardError.contains("unknown metric 'beauty'"))
        #expect(run.standardError.contains(pairs.names[1]))
        let csv = try String(contentsOf: out.appendingPathComponent("per-image.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 1 + 3 * 2)
        let problems = try String(contentsOf: out.appendingPathComponent("problems.txt"), encoding: .utf8)
        #expect(problems.contains(pairs.names[1]))
    }

    @Test func fullReferenceMetricsWithoutReferenceAreRefused() throws {
        let run = try runLumen(["eval", "--data", "/nonexistent", "--metrics", "ssim"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("--reference"))
    }

    @Test(.fixtures(EvaluationPairs.source))
    func metricsOfAnImageAndOfAPair() throws {
        let pairs = try EvaluationPairs(count: 1)
        defer { pairs.remove() }
        let (low, high) = (pairs.low.appendingPathComponent(pairs.names[0]).path, pairs.high.appendingPathComponent(pairs.names[0]).path)
        let single = try runLumen(["metrics", high])
        #expect(single.status == 0, "\(single.standardError)")
        #expect(single.standardOutput.contains("NIQE") && !single.standardOutput.contains("PSNR"))
        let pair = try runLumen(["metrics", low, high, "--metrics", "psnr,ssim", "--json"])
        #expect(pair.status == 0, "\(pair.standardError)")
        let values = try JSONSerialization.jsonObject(with: Data(pair.standardOutput.utf8)) as? [String: Double]
        #expect(values?.keys.sorted() == ["psnr", "ssim"])
        #expect((values?["ssim"] ?? 2) < 1)
        let mismatched = try runLumen(["metrics", low, try Fixtures.require(Fixtures.reference("dicm_01_input.png")).path])
        #expect(mismatched.status != 0)
        #expect(mismatched.standardError.contains(low))
    }

    @Test(.fixtures(EvaluationPairs.source))
    func enhanceWithAClassicalMethod() throws {
        let pairs = try EvaluationPairs(count: 1)
        defer { pairs.remove() }
        let output = pairs.root.appendingPathComponent("clahe.png")
        let run = try runLumen(["enhance", pairs.low.appendingPathComponent(pairs.names[0]).path, "-o", output.path, "--method", "clahe"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("with clahe"))
        let input = try Image(contentsOf: pairs.low.appendingPathComponent(pairs.names[0]))
        let enhanced = try Image(contentsOf: output)
        #expect(enhanced.width == input.width && enhanced.samples != input.samples)
        let refused = try runLumen(["enhance", output.path, "--method", "clahe", "--weights", "w.pth"])
        #expect(refused.status != 0 && refused.standardError.contains("--weights"))
        let unknown = try runLumen(["enhance", output.path, "--method", "magic"])
        #expect(unknown.status != 0 && unknown.standardError.contains("magic"))
    }
}
