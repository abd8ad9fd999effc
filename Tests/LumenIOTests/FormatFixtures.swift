import Foundation
import LumenIO
import Testing

/// The small reference files in `Formats/`, written by `scripts/make-format-fixtures.py`:
/// each `NAME` has the pixels Pillow decodes from it in `NAME.png`.
enum FormatFixtures {
    static func url(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Formats"),
                     "Formats/\(name) is missing from the test bundle")
    }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    static func image(_ name: String) throws -> Image { try Image(contentsOf: url(name)) }

    /// Decodes `name` and its reference and expects the same layout, and samples within `tolerance`.
    static func expectMatchesReference(_ name: String, tolerance: Int = 0,
                                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let decoded = try image(name), expected = try image(name + ".png")
        #expect((decoded.width, decoded.height, decoded.channels, decoded.bitDepth)
                == (expected.width, expected.height, expected.channels, expected.bitDepth),
                "\(name): \(decoded) against \(expected)", sourceLocation: sourceLocation)
        guard decoded.samples.count == expected.samples.count else { return }
        let worst = zip(decoded.samples, expected.samples).map { abs(Int($0) - Int($1)) }.max() ?? 0
        #expect(worst <= tolerance, "\(name): largest difference \(worst)", sourceLocation: sourceLocation)
    }
}
