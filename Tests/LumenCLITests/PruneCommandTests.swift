import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// `lumen prune` as a user runs it: the official Zero-DCE without its dead filters
/// loads in `lumen enhance` and writes the same image.
@Suite(.tags(.endToEnd)) struct PruneCommandTests {
    static let official = Fixtures.officialWeights("zero-dce-epoch99.pth")
    static let photo = Fixtures.data("test/dicm/01.jpg")

    @Test(.fixtures(official, photo)) func thePrunedOfficialModelWritesTheSameImage() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let official = try Fixtures.require(Self.official).path, photo = try Fixtures.require(Self.photo).path
        let pruned = root.appendingPathComponent("pruned.safetensors")
        let prune = try runLumen(["prune", "zero-dce", "--weights", official, "-o", pruned.path])
        #expect(prune.status == 0, "\(prune.standardError)")
        #expect(prune.standardOutput.contains("conv4: 32 -> 23 filters (9 dead)"), "\(prune.standardOutput)")
        let full = root.appendingPathComponent("full.png"), small = root.appendingPathComponent("small.png")
        #expect(try runLumen(["enhance", photo, "--model", "zero-dce", "--weights", official, "-o", full.path, "--bit-depth", "16"]).status == 0)
        let run = try runLumen(["enhance", photo, "--model", "zero-dce", "--weights", pruned.path, "-o", small.path, "--bit-depth", "16"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try Image(contentsOf: full).samples == Image(contentsOf: small).samples)

        let sparse = root.appendingPathComponent("sparse.safetensors")
        let thinned = try runLumen(["prune", "zero-dce", "--weights", pruned.path, "-o", sparse.path, "--sparsity", "0.5"])
        #expect(thinned.status == 0 && thinned.standardOutput.contains("conv1: 27 -> 14 filters (0 dead)"), "\(thinned.standardOutput)")
    }

    @Test(.fixtures(official)) func badRequestsAreRefused() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let official = try Fixtures.require(Self.official).path, out = root.appendingPathComponent("p.safetensors").path
        let sparsity = try runLumen(["prune", "zero-dce", "--weights", official, "-o", out, "--sparsity", "1"])
        #expect(sparsity.status != 0 && sparsity.standardError.contains("--sparsity must be in [0, 1)"), "\(sparsity.standardError)")
        let model = try runLumen(["prune", "sci", "--weights", official, "-o", out])
        #expect(model.status != 0 && model.standardError.contains("zero-dce so far, not sci"), "\(model.standardError)")
        let itself = try runLumen(["prune", "zero-dce", "--weights", official, "-o", official])
        #expect(itself.status != 0, "\(itself.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing is written for a refused request")
    }
}
