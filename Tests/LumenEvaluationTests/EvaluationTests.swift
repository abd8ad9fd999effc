import Foundation
import Lumen
import LumenEvaluation
import LumenImaging
import LumenIO
import LumenTestSupport
import Testing

@Suite struct EvaluationTests {
    let methods = [EvaluatedMethod(label: "gamma", enhancer: ClassicalEnhancer(.gamma)),
                   EvaluatedMethod(label: "clahe", enhancer: ClassicalEnhancer(.clahe))]

    @Test(.fixtures(EvaluationPairs.source))
    func scoresEveryMethodOnEveryImageAndWritesTheResults() throws {
        let pairs = try EvaluationPairs()
        defer { pairs.remove() }
        let set = try EvaluationSet(data: pairs.low, reference: pairs.high)
        let images = pairs.root.appendingPathComponent("out")
        var updates: [Int] = []
        let results = Evaluation(methods: methods, metrics: [.psnr, .ssim, .entropy, .loe])
            .run(set, imagesFolder: images) { done, total, _ in
                #expect(total == pairs.names.count * 2)
                updates.append(done)
            }
        #expect(updates.last == pairs.names.count * 2)
        #expect(results.problems.isEmpty && results.allProblems.isEmpty)
        #expect(results.methods == ["input", "gamma", "clahe"])
        #expect(results.records.map(\.method) == Array(repeating: ["input", "gamma", "clahe"], count: pairs.names.count).flatMap { $0 })

        // A record's PSNR is the metric of the saved result against the reference.
        let name = pairs.names[0]
        let saved = try Image(contentsOf: images.appendingPathComponent("gamma/" + name)).tensor()
        let reference = try Image(contentsOf: pairs.high.appendingPathComponent(name)).tensor()
        let record = try #require(results.records.first { $0.sample == name && $0.method == "gamma" })
        #expect(record.scores[.psnr] == psnr(saved, reference))
        #expect(record.output == "gamma/" + name)
        #expect(record.seconds != nil)

        let summaries = Dictionary(uniqueKeysWithValues: results.summaries.map { ($0.method, $0) })
        let inputs = try pairs.names.map { name in
            psnr(try Image(contentsOf: pairs.low.appendingPathComponent(name)).tensor(),
                 try Image(contentsOf: pairs.high.appendingPathComponent(name)).tensor())
        }
        #expect(summaries["input"]?.means[.psnr] == inputs.reduce(0, +) / Double(inputs.count))
        #expect(summaries["input"]?.milliseconds == nil && summaries["clahe"]?.milliseconds != nil)
        #expect(summaries["input"]?.means[.loe] == 0)
        #expect(results.thumbnails[name]?.keys.sorted() == ["clahe", "gamma", "input", "reference"])
    }

    @Test(.fixtures(EvaluationPairs.source))
    func badPairsAreReportedAndTheOtherImagesStillEvaluated() throws {
        let pairs = try EvaluationPairs()
        defer { pairs.remove() }
        // A reference of the wrong size, a missing reference, and an input that is not an image.
        let wrongSize = pairs.high.appendingPathComponent(pairs.names[0])
        try Image(width: 10, height: 8, channels: 3, samples: Array(repeating: 128, count: 240)).write(to: wrongSize)
        try FileManager.default.removeItem(at: pairs.high.appendingPathComponent(pairs.names[1]))
        try Data("not an image".utf8).write(to: pairs.low.appendingPathComponent("broken.png"))

        let set = try EvaluationSet(data: pairs.low, reference: pairs.high)
        let results = Evaluation(methods: methods, metrics: [.psnr, .entropy]).run(set, imagesFolder: nil) { _, _, _ in }
        let problems = results.allProblems.joined(separator: "\n")
        #expect(problems.contains(pairs.names[0]) && problems.contains("10x8"))
        #expect(problems.contains(pairs.names[1]))
        #expect(problems.contains("broken.png"))
        // Every readable image was evaluated; PSNR only where the pair is good.
        #expect(Set(results.records.map(\.sample)) == Set(pairs.names))
        for record in results.records {
            #expect(record.scores[.entropy] != nil)
            #expect((record.scores[.psnr] != nil) == (record.sample == pairs.names[2]))
        }
    }
}
