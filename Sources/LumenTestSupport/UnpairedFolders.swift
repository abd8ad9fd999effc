import Foundation
import LumenIO
import Testing

/// Temporary folders of `count` dark photos (mean brightness below 0.2) and
/// `count` brighter ones (above 0.35) from `shared/data/train-unpaired/`, for
/// the unpaired GAN recipes; the caller removes them.
public func unpairedTrainingFolders(count: Int) throws -> (dark: URL, normal: URL) {
    let source = try Fixtures.require(Fixtures.data("train-unpaired"))
    let dark = try makeTemporaryDirectory("lumen-dark"), normal = try makeTemporaryDirectory("lumen-normal")
    var counts = (dark: 0, normal: 0)
    for url in Fixtures.files(in: source, withExtensions: ["jpg"]) where counts.dark < count || counts.normal < count {
        let mean = try Image(contentsOf: url).rgb().tensor().mean().scalar
        if mean < 0.2 && counts.dark < count {
            try FileManager.default.copyItem(at: url, to: dark.appendingPathComponent(url.lastPathComponent))
            counts.dark += 1
        } else if mean > 0.35 && counts.normal < count {
            try FileManager.default.copyItem(at: url, to: normal.appendingPathComponent(url.lastPathComponent))
            counts.normal += 1
        }
    }
    return (dark, normal)
}
