import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// The names in `directory`, hidden temporary files included.
func contents(of directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
}

@Suite struct AtomicFileTests {
    @Test func writesANewFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("weights.safetensors")
        try AtomicFile.write(Data([1, 2, 3]), to: url)
        #expect(try Data(contentsOf: url) == Data([1, 2, 3]))
        #expect(try contents(of: directory) == ["weights.safetensors"])
    }

    @Test func replacesAnExistingFileWhole() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("checkpoint.bin")
        try Data(repeating: 7, count: 10_000).write(to: url)
        try AtomicFile.write(Data([9, 9]), to: url)
        #expect(try Data(contentsOf: url) == Data([9, 9]))
        try AtomicFile.write(Data(), to: url)
        #expect(try Data(contentsOf: url).isEmpty)
        #expect(try contents(of: directory) == ["checkpoint.bin"])
    }

    @Test func missingDirectoryThrowsAndCreatesNothing() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("absent/out.bin")
        #expect(throws: AtomicFileError.cannotCreate(path: url.path, reason: "No such file or directory")) {
            try AtomicFile.write(Data([1]), to: url)
        }
        #expect(try contents(of: directory).isEmpty)
        #expect(AtomicFileError.cannotCreate(path: "absent/out.bin", reason: "No such file or directory")
            .localizedDescription == "absent/out.bin: cannot create a file in its directory (No such file or directory)")
    }

    @Test func directoryInTheWayIsReportedAndTheTemporaryFileRemoved() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("taken")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        #expect {
            try AtomicFile.write(Data([1]), to: url)
        } throws: { error in
            guard case .renameFailed(let path, _)? = error as? AtomicFileError else { return false }
            return path == url.path
        }
        #expect(try contents(of: directory) == ["taken"])
    }
}
