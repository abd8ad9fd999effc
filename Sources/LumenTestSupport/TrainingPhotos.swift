import Foundation
import Testing

/// `shared/data/train-unpaired/`, the photos training tests learn from.
public let trainingData = Fixtures.data("train-unpaired")

/// A temporary folder with the first `count` images of `shared/data/train-unpaired/`.
public func trainingSubset(count: Int = 16) throws -> URL {
    let source = try Fixtures.require(trainingData)
    let folder = try makeTemporaryDirectory("lumen-train-data")
    for url in Fixtures.files(in: source, withExtensions: ["jpg", "png"]).prefix(count) {
        try FileManager.default.copyItem(at: url, to: folder.appendingPathComponent(url.lastPathComponent))
    }
    return folder
}
