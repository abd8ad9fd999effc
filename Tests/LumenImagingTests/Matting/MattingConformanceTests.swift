import Foundation
import LumenIO
import LumenImaging
import LumenTestSupport
import Testing

/// Every case of `shared/fixtures/matting/cases.json`, both variants (the trimap's
/// unknown region and the whole image), within the tolerances its README gives.
@Suite(.tags(.golden)) struct MattingConformanceTests {
    static let folder = Fixtures.shared("fixtures/matting")
    static let casesURL = folder.appendingPathComponent("cases.json")

    struct Case {
        let id: String
        let prediction: Matte
        let groundTruth: Matte
        let trimap: Trimap
        let expected: [String: [String: Any]]
    }

    static func loadCases() throws -> [Case] {
        let url = try Fixtures.require(casesURL)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try #require(root["cases"] as? [[String: Any]])
        return try cases.map { entry in
            let inputs = try #require(entry["inputs"] as? [String: [String: Any]])
            let groundTruth = try matte(try #require(inputs["gt"]), groundTruth: nil)
            let prediction = try matte(try #require(inputs["pred"]), groundTruth: groundTruth)
            let trimapMatte = try matte(try #require(inputs["trimap"]), groundTruth: nil)
            return Case(id: try #require(entry["id"] as? String), prediction: prediction, groundTruth: groundTruth,
                        trimap: try Trimap(width: trimapMatte.width, height: trimapMatte.height, values: trimapMatte.levels),
                        expected: try #require(entry["expected"] as? [String: [String: Any]]))
        }
    }

    /// An input given inline, as a file, or as a rule applied to the ground truth.
    static func matte(_ spec: [String: Any], groundTruth: Matte?) throws -> Matte {
        if let rows = spec["inline"] as? [[Int]] {
            return Matte(width: rows[0].count, height: rows.count, levels: rows.flatMap { $0.map(UInt8.init) })
        }
        if let file = spec["file"] as? String {
            return try Matte(image: Image(contentsOf: try Fixtures.require(folder.appendingPathComponent(file))))
        }
        let truth = try #require(groundTruth)
        let rule = try #require(spec["rule"] as? String)
        let levels: [UInt8] = switch rule {
        case "threshold128": truth.levels.map { $0 >= 128 ? 255 : 0 }
        case "zeros": truth.levels.map { _ in 0 }
        case "posterise51": truth.levels.map { UInt8(51 * ((Int($0) + 25) / 51)) }
        default: throw TestFailure("unknown rule \(rule)")
        }
        return Matte(width: truth.width, height: truth.height, levels: levels)
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test(.fixtures(casesURL), arguments: MattingRegion.allCases)
    func everyCaseMatchesTheReference(_ region: MattingRegion) throws {
        let cases = try Self.loadCases()
        #expect(cases.count == 8)
        for testCase in cases {
            let expected = try #require(testCase.expected[region.rawValue])
            let errors = try MattingErrors(prediction: testCase.prediction, groundTruth: testCase.groundTruth,
                                           trimap: testCase.trimap, region: region)
            let exact = try #require(expected["exact"] as? [String: Int])
            #expect(errors.regionPixels == exact["region_pixels"], "case \(testCase.id)")
            for (name, value, tolerance) in [("sad", errors.sad, 1e-6), ("mse", errors.mse, 1e-6), ("mad", errors.mad, 1e-6),
                                             ("grad", errors.gradient, 1e-4), ("conn", errors.connectivity, 1e-4)] {
                let reference = try #require(expected[name] as? Double)
                #expect(abs(value - reference) <= tolerance * abs(reference),
                        "case \(testCase.id) \(region) \(name): \(value) against \(reference)")
            }
            // The exact integer forms agree to the last digit.
            let conn = try #require(exact["conn_sum_scaled"])
            #expect((errors.connectivity * 2_550_000).rounded() == Double(conn), "case \(testCase.id) conn sum")
            #expect((errors.sad * 255_000).rounded() == Double(try #require(exact["abs_diff_sum"])), "case \(testCase.id) sad sum")
        }
    }

    /// The seed's `simulate_low_light` with `np.random.seed(0)` on GT05's composite,
    /// reproduced draw for draw (the fixture's README allows another libm to move a
    /// sample by a level).
    @Test(.fixtures(folder.appendingPathComponent("gt05_merged.png")))
    func seedLowLightReproducesTheFixture() throws {
        let merged = try Image(contentsOf: try Fixtures.require(Self.folder.appendingPathComponent("gt05_merged.png")))
        let expected = try Image(contentsOf: try Fixtures.require(
            Self.folder.appendingPathComponent("gt05_merged_lowlight_g0.4_s0.3_seed0.png")))
        var random = NumPyRandomState(seed: 0)
        let dark = SeedLowLight(gamma: 0.4, scale: 0.3).applied(to: merged, random: &random)
        #expect(dark.width == expected.width && dark.height == expected.height && dark.channels == 3)
        let differences = zip(dark.samples, expected.samples).map { abs(Int($0) - Int($1)) }
        let different = differences.filter { $0 != 0 }.count
        #expect(differences.max() ?? 0 <= 1)
        #if os(Linux)
        // With glibc's powf, exp and log every one of the 1,324,800 samples is equal.
        #expect(different == 0, "\(different) of \(differences.count) samples differ")
        #else
        #expect(different <= differences.count / 10_000, "\(different) of \(differences.count) samples differ")
        #endif
    }
}
