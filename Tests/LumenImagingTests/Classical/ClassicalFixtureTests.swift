import Foundation
import LumenImaging
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// The four byte-level methods against OpenCV 4.11 outputs made by
/// `tools/peers/classic.py` (`shared/fixtures/reference/*_classic_*.png`).
@Suite(.tags(.golden)) struct ClassicalFixtureTests {
    static let images = ["dicm_01", "dicm_05", "lime_01", "sci_medium_00001"]

    enum Method: String, CaseIterable, CustomTestStringConvertible {
        case gamma = "gamma_LUT_2.2", equalize = "equalizeHist_Y", clahe = "CLAHE_L_clip2_8x8", grayWorld = "grayworld"

        var testDescription: String { rawValue }

        var classical: ClassicalMethod {
            switch self {
            case .gamma: .gamma
            case .equalize: .equalize
            case .clahe: .clahe
            case .grayWorld: .grayWorld
            }
        }

        func fixture(_ image: String) -> URL { Fixtures.reference("\(image)_classic_\(rawValue).png") }
    }

    static let folder = Fixtures.shared("fixtures/reference")

    /// Within one grey level on at least 99 % of the samples, and in fact identical:
    /// the implementations reproduce OpenCV's fixed-point arithmetic and tables.
    @Test(.fixtures(folder), arguments: images, Method.allCases)
    func matchesOpenCV(image: String, method: Method) throws {
        let input = try Image(contentsOf: try Fixtures.require(Fixtures.reference("\(image)_input.png")))
        let expected = try Image(contentsOf: try Fixtures.require(method.fixture(image)))
        let output = Image(tensor: method.classical.applied(to: input.tensor()))
        try #require((output.width, output.height, output.channels) == (expected.width, expected.height, expected.channels))
        let differences = zip(output.samples, expected.samples).map { Swift.abs(Int($0) - Int($1)) }
        let withinOne = Double(differences.count { $0 <= 1 }) / Double(differences.count)
        let maximum = differences.max() ?? 0
        #expect(withinOne >= 0.99, "\(image) \(method): \(withinOne * 100) % within 1 level, max \(maximum)")
        #expect(maximum == 0, "\(image) \(method): max difference \(maximum) levels")
    }
}
