import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// The main job on a fresh checkout: no flags, bundled weights, bundled sample.
@Suite(.tags(.endToEnd)) struct DefaultModelTests {
    static let sample = Fixtures.packageRoot.appendingPathComponent("Resources/samples/astronaut-dark.jpg")

    @Test func enhancesTheBundledSampleWithTheBundledModel() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let target = out.appendingPathComponent("lit.png")
        let run = try runLumen(["enhance", Self.sample.path, "-o", target.path])
        #expect(run.status == 0, "\(run.standardError)")
        let input = try Image(contentsOf: Self.sample), output = try Image(contentsOf: target)
        #expect(output.width == input.width && output.height == input.height)
        let mean = { (image: Image) in Double(image.samples.reduce(0) { $0 + Int($1) }) / Double(image.samples.count) }
        #expect(mean(output) > mean(input) * 1.3, "mean \(mean(input)) -> \(mean(output))")
    }

    @Test func darkenHalvesTheLightPerStop() throws {
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let source = Fixtures.packageRoot.appendingPathComponent("Resources/samples/astronaut.jpg")
        let target = out.appendingPathComponent("dark.png")
        let run = try runLumen(["darken", source.path, "-o", target.path, "--ev", "-1"])
        #expect(run.status == 0, "\(run.standardError)")
        let dark = try Image(contentsOf: target)
        #expect(dark.width == 512 && dark.height == 512)
        #expect(try Image(contentsOf: source).samples.reduce(0) { $0 + Int($1) } > dark.samples.reduce(0) { $0 + Int($1) })
    }
}
