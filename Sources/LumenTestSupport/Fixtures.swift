import Foundation
import Testing

/// Paths into the shared fixture folder, `<package root>/../shared`, and the rule
/// for missing fixtures: with the `CI` environment variable set they fail the test;
/// elsewhere (a checkout without `../shared`) the test is skipped, naming the path.
///
/// Guard a test whose files are known up front with the trait, and fetch each file
/// with ``require(_:sourceLocation:)`` so that CI fails loudly:
///
/// ```swift
/// @Test(.fixtures(Fixtures.data("test/dicm/01.jpg")))
/// func decodesPhoto() throws {
///     let url = try Fixtures.require(Fixtures.data("test/dicm/01.jpg"))
///     ...
/// }
/// ```
public enum Fixtures {
    /// The package root, found from this file's location (`Sources/LumenTestSupport/Fixtures.swift`).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shared folder next to the package: `<package root>/../shared`.
    public static let sharedRoot = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// A path under ``sharedRoot``, such as `fixtures/reference/manifest.json`.
    public static func shared(_ relativePath: String) -> URL {
        sharedRoot.appendingPathComponent(relativePath)
    }

    /// A path under `shared/data/`, such as `test/dicm/01.jpg`.
    public static func data(_ relativePath: String) -> URL { shared("data/" + relativePath) }

    /// A file in `shared/fixtures/reference/`, such as `dicm_01_input.png`.
    public static func reference(_ name: String) -> URL { shared("fixtures/reference/" + name) }

    /// A file in `shared/fixtures/official-weights/`, as published by a model's authors.
    public static func officialWeights(_ name: String) -> URL { shared("fixtures/official-weights/" + name) }

    /// Whether missing fixtures fail: `CI` is set to anything but empty, `0` or `false`.
    public static var isCI: Bool {
        guard let value = ProcessInfo.processInfo.environment["CI"] else { return false }
        return !["", "0", "false"].contains(value.lowercased())
    }

    /// Whether a file or folder exists at `url`.
    public static func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    /// The files in `directory` whose extension is in `extensions` (lower case), sorted by
    /// name; empty when the folder is missing, so `#require` the result is not empty.
    public static func files(in directory: URL, withExtensions extensions: Set<String>) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted()
            .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .map { directory.appendingPathComponent($0) }
    }

    /// Returns `url` if the fixture exists. Otherwise fails the test when ``isCI``,
    /// and cancels it elsewhere (`Test.cancel`: reported as cancelled, with the path).
    ///
    /// - Throws: The test-stopping error from `#require` or `Test.cancel`.
    public static func require(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        if exists(url) { return url }
        let message = "missing fixture \(url.path)"
        if isCI {
            try #require(exists(url), Comment(rawValue: message + " (CI is set)"), sourceLocation: sourceLocation)
        }
        try Test.cancel(Comment(rawValue: message), sourceLocation: sourceLocation)
    }
}

extension Trait where Self == ConditionTrait {
    /// Skips the test, naming the missing paths, unless every fixture exists; with
    /// `CI` set the test always runs so that ``Fixtures/require(_:sourceLocation:)`` fails it.
    public static func fixtures(_ urls: URL...) -> Self {
        let missing = urls.filter { !Fixtures.exists($0) }.map(\.path)
        return .enabled(if: Fixtures.isCI || missing.isEmpty,
                        Comment(rawValue: "missing fixture " + missing.joined(separator: ", ")))
    }
}
