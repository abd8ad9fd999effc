import Foundation
import LumenEvaluation
import LumenTestSupport
import Testing

@Suite struct EvaluationSetTests {
    func touch(_ folder: URL, _ names: [String]) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in names { try Data([0]).write(to: folder.appendingPathComponent(name)) }
    }

    @Test func pairsByNameThenByStemAndNotesMissingReferences() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let (data, reference) = (root.appendingPathComponent("low"), root.appendingPathComponent("high"))
        try touch(data, ["b.png", "a.jpg", "c.png", "notes.txt"])
        try touch(reference, ["a.png", "b.png"])
        let set = try EvaluationSet(data: data, reference: reference)
        #expect(set.samples.map(\.name) == ["a.jpg", "b.png", "c.png"])
        #expect(set.samples.map { $0.reference?.lastPathComponent } == ["a.png", "b.png", nil])
        #expect(set.problems.count == 1)
        #expect(set.problems.first?.contains("c.png") == true)
    }

    @Test func emptyOrMissingFoldersAreErrorsNamingThePath() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try touch(root.appendingPathComponent("empty"), ["readme.txt"])
        #expect(throws: EvaluationError.noImages(root.appendingPathComponent("empty").relativePath)) {
            try EvaluationSet(data: root.appendingPathComponent("empty"), reference: nil)
        }
        let missing = root.appendingPathComponent("missing")
        #expect(throws: EvaluationError.notAFolder(missing.relativePath)) {
            try EvaluationSet(data: missing, reference: nil)
        }
        let error = EvaluationError.notAFolder(missing.relativePath)
        #expect(error.localizedDescription.contains(missing.relativePath))
    }
}
