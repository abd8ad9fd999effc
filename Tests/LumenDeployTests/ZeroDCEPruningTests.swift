import Foundation
import Lumen
import LumenDeploy
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// Structured pruning of Zero-DCE: the index bookkeeping (a pruned network equals the
/// full one with those filters silenced) and the official checkpoint's dead filters.
@Suite struct ZeroDCEPruningTests {
    static let official = Fixtures.officialWeights("zero-dce-epoch99.pth")
    static let photo = Fixtures.data("test/dicm/01.jpg")

    static func input(seed: UInt64) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor(shape: [1, 3, 13, 17], scalars: (0..<(3 * 13 * 17)).map { _ in Float.random(in: 0...1, using: &generator) })
    }

    /// Removing filters equals silencing them: weights zero and a negative bias make
    /// their ReLU output zero, so the full network computes what the pruned one does.
    @Test func aPrunedNetworkEqualsTheFullOneWithThoseFiltersSilenced() throws {
        var generator = SplitMix64(seed: 2)
        let full = ZeroDCE(width: 8, using: &generator)
        let removing = [[0, 5], [7], [1, 2, 3], [], [4], [6, 0]]
        let pruned = full.pruned(removing: removing)
        #expect(pruned.widths == [6, 7, 5, 8, 7, 6])
        var state = full.stateDict()
        for (layer, filters) in removing.enumerated() {
            let key = "conv\(layer + 1)"
            var weight = state["\(key).weight"]!.scalars, bias = state["\(key).bias"]!.scalars
            let size = weight.count / bias.count
            for filter in filters {
                for index in (filter * size)..<((filter + 1) * size) { weight[index] = 0 }
                bias[filter] = -1
            }
            state["\(key).weight"] = Tensor(shape: state["\(key).weight"]!.shape, scalars: weight)
            state["\(key).bias"] = Tensor(shape: [bias.count], scalars: bias)
        }
        try full.load(state)
        let x = Self.input(seed: 3)
        let largest = maxAbsoluteDifference(withoutGradients { pruned.enhanced(x) }.scalars, withoutGradients { full.enhanced(x) }.scalars)
        #expect(largest <= 1e-6, "largest difference \(largest)")
    }

    @Test func theWeakestFiltersGoFirstAndOneAlwaysStays() {
        var generator = SplitMix64(seed: 4)
        let model = ZeroDCE(width: 4, using: &generator)
        #expect(model.weakestFilters(sparsity: 0.5).allSatisfy { $0.count == 2 })
        #expect(model.weakestFilters(sparsity: 0.99).allSatisfy { $0.count == 3 })
        #expect(model.weakestFilters(sparsity: 0).allSatisfy { $0.isEmpty })
        let norms = (0..<4).map { filter in model.conv1.weight.scalars[(filter * 27)..<((filter + 1) * 27)].reduce(0) { $0 + abs($1) } }
        #expect(model.weakestFilters(sparsity: 0.25)[0] == [norms.indices.min { norms[$0] < norms[$1] }!])
    }

    /// The official checkpoint's 35 dead filters go, and its output does not change:
    /// the same 16-bit image on a real photo.
    @Test(.fixtures(official, photo)) func removingTheOfficialDeadFiltersKeepsTheOutput() throws {
        let model = try #require(try ModelKind.zeroDCE.load(weights: Fixtures.require(Self.official)) as? ZeroDCE)
        let dead = model.deadFilters()
        #expect(dead.map(\.count) == [5, 6, 4, 9, 6, 5])   // conv5 has a seventh filter of zero weights, but its bias is positive
        let pruned = model.pruned(removing: dead)
        #expect(pruned.widths == [27, 26, 28, 23, 26, 27])
        let photo = try Image(contentsOf: Fixtures.require(Self.photo)).rgb().tensor()
        let (before, after) = withoutGradients { (model.enhanced(photo), pruned.enhanced(photo)) }
        let largest = maxAbsoluteDifference(before.scalars, after.scalars)
        #expect(largest <= 1e-6, "largest difference \(largest)")
        #expect(Image(tensor: before, bitDepth: 16).samples == Image(tensor: after, bitDepth: 16).samples)
    }
}
