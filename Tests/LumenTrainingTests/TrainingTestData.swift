import Foundation
import LumenTestSupport
import Testing

/// A temporary folder with the first `count` images of `shared/data/train-unpaired/`.
func trainingSubset(count: Int = 16) throws -> URL {
    let source = try Fixtures.require(Fixtures.data("train-unpaired"))
    let folder = try makeTemporaryDirectory("lumen-train-data")
    for url in Fixtures.files(in: source, withExtensions: ["jpg", "png"]).prefix(count) {
        try FileManager.default.copyItem(at: url, to: folder.appendingPathComponent(url.lastPathComponent))
    }
    return folder
}

let trainingData = Fixtures.data("train-unpaired")
