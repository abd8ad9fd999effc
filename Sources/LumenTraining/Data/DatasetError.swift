import Foundation
import LumenIO

/// Problems with training data, each naming the path.
public enum DatasetError: Error, LocalizedError, Equatable {
    case notAFolder(String)
    case unreadable(String, String)
    case empty(String)
    /// Every image of the folder failed to decode.
    case noUsableImages(String)
    /// A pairs folder without its two subfolders (`low/` and `high/`, or `image/`
    /// and `alpha/` for matting).
    case missingSubfolders(String, input: String, target: String)
    /// Names in the input subfolder without a partner in the target one, and the other way round.
    case unmatchedPairs(folder: String, input: String, target: String, inputOnly: [String], targetOnly: [String])
    /// A pair whose images differ in size.
    case pairSizesDiffer(low: String, high: String, lowSize: String, highSize: String)
    /// A matting target that is not a grayscale alpha (the reason says why).
    case badAlpha(String, reason: String)
    /// An image smaller than the training crop.
    case tooSmall(String, size: Int)

    public var errorDescription: String? {
        switch self {
        case .notAFolder(let path): "\(path): not a folder"
        case let .unreadable(path, reason): "\(path): cannot be read (\(reason))"
        case .empty(let path): "\(path): no \(ImageFormat.namesForMessages) images in this folder"
        case .noUsableImages(let path): "\(path): none of its images could be decoded"
        case let .missingSubfolders(path, input, target):
            "\(path): not a pairs folder (expected \(input)/ and \(target)/ subfolders with images of the same names)"
        case let .unmatchedPairs(folder, input, target, inputOnly, targetOnly):
            "\(folder): unmatched names: " + [Self.listed(inputOnly, "in \(input)/ but not \(target)/"),
                                              Self.listed(targetOnly, "in \(target)/ but not \(input)/")]
                .compactMap { $0 }.joined(separator: "; ")
        case let .badAlpha(path, reason): "\(path) \(reason)"
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
