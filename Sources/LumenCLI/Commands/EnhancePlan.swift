import Foundation
import LumenIO

/// Which files `lumen enhance`, `upscale` and `denoise` read and where each result goes.
///
/// Everything is checked before any image is read or any folder created:
/// - with one input file, `-o` is a file when its extension names a format
///   (``ImageFormat/init(pathExtension:)``), a folder when it exists as one, ends
///   in `/` or has no extension, and an error otherwise (`-o x.gif`);
/// - `--format` must agree with an output file's extension (`-o y.png --format jpeg` is an error);
/// - no output may be one of the inputs, and no two inputs may share an output
///   (`a.jpg` and `a.png` both becoming `out/a.png`);
/// - an existing file that is not an input is replaced (a previous run's output).
struct EnhancePlan {
    struct Job {
        let input: URL
        let output: URL
        let format: ImageFormat
    }

    private(set) var jobs: [Job] = []
    /// Inputs that do not exist: reported, counted as failures, the rest still run.
    private(set) var missingInputs: [String] = []

    /// Runs `body` on every job with progress (images, and `body`'s tiles), reports each
    /// missing input and failing job by name and goes on, then prints
    /// `VERB N of M images HOW in S s (R images/s)`.
    /// - Throws: `someInputsFailed` at the end when any input failed.
    func run(verb: String, how: String, _ body: (Job, _ tileProgress: (Int, Int) -> Void) throws -> Void) throws {
        let progress = ProgressBar(total: jobs.count, unit: "images")
        let start = Date()
        var failures = missingInputs.count
        for path in missingInputs { printError(LumenCLIError.missingInput(path).localizedDescription) }
        for (index, job) in jobs.enumerated() {
            do {
                try body(job) { done, tiles in
                    if tiles > 1 { progress.update(done: index, detail: "\(job.input.lastPathComponent) tile \(done)/\(tiles)") }
                }
            } catch {
                failures += 1
                printError(describe(error))
            }
            progress.update(done: index + 1, detail: job.input.lastPathComponent)
        }
        let elapsed = Date().timeIntervalSince(start)
        let total = jobs.count + missingInputs.count, succeeded = total - failures
        print("\(verb) \(succeeded) of \(total) images \(how) in "
              + String(format: "%.2f s (%.2f images/s)", elapsed, Double(succeeded) / max(elapsed, 1e-9)))
        if failures > 0 { throw LumenCLIError.someInputsFailed(failed: failures, total: total) }
    }

    /// Whether a folder's file is read: its extension names an image format.
    static func isImageFile(_ name: String) -> Bool {
        ImageFormat(pathExtension: (name as NSString).pathExtension) != nil
    }

    /// - Parameters:
    ///   - output: `-o`, a file or a folder.
    ///   - format: `--format`; without it, an output file's extension, else PNG.
    ///   - suffix: without `-o`, outputs are written beside their inputs as `NAME-SUFFIX.EXT`.
    init(inputs: [String], output: String?, format: ImageFormat?, suffix: String) throws {
        let files = try collectFiles(inputs)
        let singleFile = inputs.count == 1 && files.count == 1 && missingInputs.isEmpty && !Self.isDirectory(inputs[0])
        var outputFolder: String?
        if let output, singleFile, let file = try Self.outputFile(output) {
            if let format, format != file.format { throw LumenCLIError.formatConflict(output, format: format) }
            jobs = [Job(input: files[0], output: file.url, format: file.format)]
        } else {
            if let output, Self.isFile(output) || (ImageFormat(pathExtension: (output as NSString).pathExtension) != nil
                                                   && !Self.isDirectory(output)) {
                throw LumenCLIError.outputNotAFolder(output)
            }
            outputFolder = output
            let chosen = format ?? .png
            jobs = files.map { input in
                let stem = input.deletingPathExtension().lastPathComponent
                let name = (output == nil ? stem + "-" + suffix : stem) + "." + chosen.fileExtension
                let folder = output.map { URL(fileURLWithPath: $0) } ?? input.deletingLastPathComponent()
                return Job(input: input, output: folder.appendingPathComponent(name), format: chosen)
            }
        }
        try checkOutputs()
        if let outputFolder {
            try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true)
        }
    }

    /// The input files, folders expanded to their image files (sorted, not recursively).
    private mutating func collectFiles(_ inputs: [String]) throws -> [URL] {
        var files: [URL] = []
        for path in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missingInputs.append(path)
                continue
            }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted().filter(Self.isImageFile)
                guard !names.isEmpty else { throw LumenCLIError.noImages(path) }
                files += names.map { URL(fileURLWithPath: path).appendingPathComponent($0) }
            } else {
                files.append(URL(fileURLWithPath: path))
            }
        }
        return files
    }

    /// `-o` for one input file: a file and its format, or `nil` for a folder.
    private static func outputFile(_ output: String) throws -> (url: URL, format: ImageFormat)? {
        let pathExtension = (output as NSString).pathExtension
        if isDirectory(output) || output.hasSuffix("/") || pathExtension.isEmpty { return nil }
        guard let format = ImageFormat(pathExtension: pathExtension) else {
            throw LumenCLIError.unknownOutputExtension(output)
        }
        return (URL(fileURLWithPath: output), format)
    }

    /// Refuses an output that is an input (also through a link), and two inputs with one output.
    private func checkOutputs() throws {
        let inputs = Dictionary(jobs.map { (fileIdentity($0.input), $0.input) }) { first, _ in first }
        var writers: [String: URL] = [:]
        for job in jobs {
            let output = fileIdentity(job.output)
            if let replaced = inputs[output] {
                if fileIdentity(replaced) == fileIdentity(job.input) {
                    throw LumenCLIError.wouldOverwriteInput(job.input.relativePath)
                }
                throw LumenCLIError.outputReplacesInput(replaced.relativePath, writer: job.input.relativePath)
            }
            if let other = writers.updateValue(job.input, forKey: output) {
                throw LumenCLIError.outputCollision(other.relativePath, job.input.relativePath, output: job.output.relativePath)
            }
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
