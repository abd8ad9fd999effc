import Foundation
import LumenIO

/// Problems with training data, each naming the path.
public enum DatasetError: Error, LocalizedError, Equatable {
    case notAFolder(String)
    case unreadable(String, String)
    case empty(String)
    /// Every image of the folder failed to decode.
    case noUsableImages(String)
    /// A pairs folder without `low/` and `high/` subfolders.
    case notAPairsFolder(String)
    /// Names in `low/` without a partner in `high/`, and the other way round.
    case unmatchedPairs(folder: String, lowOnly: [String], highOnly: [String])
    /// A pair whose images differ in size.
    case pairSizesDiffer(low: String, high: String, lowSize: String, highSize: String)
    /// An image smaller than the training crop.
    case tooSmall(String, size: Int)

    public var errorDescription: String? {
        switch self {
        case .notAFolder(let path): "\(path): not a folder"
        case let .unreadable(path, reason): "\(path): cannot be read (\(reason))"
        case .empty(let path): "\(path): no \(ImageFormat.namesForMessages) images in this folder"
        case .noUsableImages(let path): "\(path): none of its images could be decoded"
        case .notAPairsFolder(let path): "\(path): not a pairs folder (expected low/ and high/ subfolders with images of the same names)"
        case let .unmatchedPairs(folder, lowOnly, highOnly):
            "\(folder): unmatched names: " + [Self.listed(lowOnly, "in low/ but not high/"), Self.listed(highOnly, "in high/ but not low/")]
                .compactMap { $0 }.joined(separator: "; ")
        case let .pairSizesDiffer(low, high, lowSize, highSize): "\(low) is \(lowSize) but \(high) is \(highSize): a pair must have one size"
        case let .tooSmall(path, size): "\(path): smaller than the \(size)x\(size) training crop (skipped; use a smaller --size)"
        }
    }

    /// "3 in low/ but not high/: a.png, b.png, c.png", naming at most five.
    private static func listed(_ names: [String], _ what: String) -> String? {
        guard !names.isEmpty else { return nil }
        let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", ..." : "")
        return "\(names.count) \(what): \(shown)"
    }
}
