import Foundation
import LumenIO
import LumenTensor
import Testing

/// Paired folders made from real test photos, for evaluation tests: `high/` holds
/// photos from `test/sci/easy` scaled down to 192 pixels on the long side, `low/`
/// the same photos with every value multiplied by 0.3. Small, so metrics run fast.
public struct EvaluationPairs {
    /// The temporary folder holding `low/` and `high/`.
    public let root: URL
    /// The darkened inputs.
    public var low: URL { root.appendingPathComponent("low") }
    /// The ground truth.
    public var high: URL { root.appendingPathComponent("high") }
    /// The PNG file names, the same in both folders, sorted.
    public let names: [String]

    /// The folder the photos come from.
    public static let source = Fixtures.data("test/sci/easy")

    /// Makes the folders from the first `count` photos.
    public init(count: Int = 3) throws {
        root = try makeTemporaryDirectory("lumen-eval")
        let photos = Array(Fixtures.files(in: try Fixtures.require(Self.source), withExtensions: ["png", "jpg"]).prefix(count))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("low"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("high"), withIntermediateDirectories: true)
        var names: [String] = []
        for photo in photos {
            let image = try Image(contentsOf: photo).rgb().tensor()
            let (height, width) = (image.shape[2], image.shape[3])
            let scale = 192 / Double(max(height, width))
            let small = withoutGradients {
                image.adaptiveAvgPool2d(outputSize: (Int(Double(height) * scale), Int(Double(width) * scale)))
            }
            let name = photo.deletingPathExtension().lastPathComponent + ".png"
            try Image(tensor: small).write(to: root.appendingPathComponent("high/" + name))
            try Image(tensor: withoutGradients { small * 0.3 }).write(to: root.appendingPathComponent("low/" + name))
            names.append(name)
        }
        self.names = names
    }

    /// Deletes the folders.
    public func remove() { try? FileManager.default.removeItem(at: root) }
}
