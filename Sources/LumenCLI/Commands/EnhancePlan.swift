import Foundation
import LumenIO

/// Which files `lumen enhance` reads and where each result goes.
struct EnhancePlan {
    struct Job {
        let input: URL
        let output: URL
        let format: ImageFormat
    }

    private(set) var jobs: [Job] = []
    /// Inputs that do not exist: reported, counted as failures, the rest still run.
    private(set) var missingInputs: [String] = []

    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// - Parameter format: the output format for a given output file (nil: a folder).
    init(inputs: [String], output: String?, format: (URL?) -> ImageFormat) throws {
        let fileManager = FileManager.default
        var files: [URL] = []
        for path in inputs {
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missingInputs.append(path)
                continue
            }
            if isDirectory.boolValue {
                let names = try fileManager.contentsOfDirectory(atPath: path).sorted()
                    .filter { Self.imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
                guard !names.isEmpty else { throw LumenCLIError.noImages(path) }
                files += names.map { URL(fileURLWithPath: path).appendingPathComponent($0) }
            } else {
                files.append(URL(fileURLWithPath: path))
            }
        }
        let singleFile = inputs.count == 1 && files.count == 1 && missingInputs.isEmpty
            && !Self.isDirectory(inputs[0])
        if let output, singleFile, ImageFormat(pathExtension: (output as NSString).pathExtension) != nil {
            let url = URL(fileURLWithPath: output)
            jobs = [Job(input: files[0], output: url, format: format(url))]
            return
        }
        if let output {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: output, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw LumenCLIError.outputNotAFolder(output)
            }
            try fileManager.createDirectory(atPath: output, withIntermediateDirectories: true)
        }
        let chosen = format(nil)
        jobs = files.map { input in
            let stem = input.deletingPathExtension().lastPathComponent
            let name = (output == nil ? stem + "-enhanced" : stem) + "." + chosen.fileExtension
            let folder = output.map { URL(fileURLWithPath: $0) } ?? input.deletingLastPathComponent()
            return Job(input: input, output: folder.appendingPathComponent(name), format: chosen)
        }
        if let clash = jobs.first(where: { $0.output.standardizedFileURL == $0.input.standardizedFileURL }) {
            throw LumenCLIError.wouldOverwriteInput(clash.input.relativePath)
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
