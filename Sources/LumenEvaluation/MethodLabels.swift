import Foundation

/// Table labels for the methods of an evaluation, given as `NAME` or `NAME:WEIGHTS`.
///
/// A method's label is its name, plus its weights file's name when it has one:
/// `zero-dce (Epoch99.pth)`. Where two different files have the same name, as the
/// `matting-unet.safetensors` of two training runs do, their labels take as many
/// of the files' folders as it needs to tell them apart:
/// `matting-unet (pipeline/matting-unet.safetensors)`. Only the same method given
/// twice keeps a repeated label, which ``repeated`` reports.
public struct MethodLabels: Sendable {
    private let labels: [String: String]

    /// The repeated label if a method was given twice, else `nil`.
    public let repeated: String?

    /// Labels for `methods`, the texts the user gave.
    public init(_ methods: [String]) {
        struct Method {
            let name: String
            let folders: [String]   // the weights path's components, last first
            var depth = 1
            var label: String {
                folders.isEmpty ? name : "\(name) (\(folders.prefix(depth).reversed().joined(separator: "/")))"
            }
        }
        var parsed = methods.map { text in
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            let path = parts.count == 2 ? URL(fileURLWithPath: parts[1]).standardizedFileURL.pathComponents : []
            return Method(name: parts[0], folders: Array(path.filter { $0 != "/" }.reversed()))
        }
        // Lengthen every colliding label that can still grow, until none collides or none can grow.
        while true {
            let groups = Dictionary(grouping: parsed.indices, by: { parsed[$0].label }).values.filter { $0.count > 1 }
            let growing = groups.flatMap { group in group.filter { parsed[$0].depth < parsed[$0].folders.count } }
            if growing.isEmpty { break }
            for index in growing { parsed[index].depth += 1 }
        }
        labels = Dictionary(zip(methods, parsed.map(\.label)), uniquingKeysWith: { first, _ in first })
        let all = parsed.map(\.label)
        repeated = all.enumerated().first { index, label in all[..<index].contains(label) }?.element
    }

    /// The label of `method`, one of the texts given to `init`.
    public subscript(method: String) -> String {
        labels[method] ?? method
    }
}
