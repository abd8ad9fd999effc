import Foundation
import LumenIO

/// One line of `losses.jsonl`: every loss term of one step (or a validation pass).
public struct LossRecord: Codable, Sendable, Equatable {
    public var epoch: Int
    public var globalStep: Int
    /// `train` for an optimiser step, `validation` for an evaluation pass.
    public var phase: String
    public var total: Double
    /// Raw (unweighted) value of each term.
    public var terms: [String: Double]
    public var learningRate: Double
    public var imagesPerSecond: Double
    /// Quality measures of a validation pass (`psnr`, `ssim`), when it has references.
    public var metrics: [String: Double]?
}

/// The run's loss log, `losses.jsonl`: one JSON object per line, appended as
/// training goes, so a crash loses at most the line being written.
///
/// JSON has no NaN or infinity. A training loss that is not finite stops the run
/// before it is logged (``TrainingError/diverged(step:what:checkpoint:checkpointStep:)``),
/// but a validation pass may still meet one; such a value is written as the string
/// `"NaN"`, `"Infinity"` or `"-Infinity"` (Python's `float()` reads them back).
final class LossLog {
    let url: URL
    private let handle: FileHandle
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: LossLog.infinity, negativeInfinity: "-" + LossLog.infinity, nan: LossLog.notANumber)
        return encoder
    }()
    private static let infinity = "Infinity", notANumber = "NaN"

    /// A decoder that reads what ``encoder`` writes.
    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: infinity, negativeInfinity: "-" + infinity, nan: notANumber)
        return decoder
    }

    /// Opens the log; when resuming, drops records after `keepingThrough` (steps the
    /// checkpoint does not contain, which the resumed run will redo).
    init(url: URL, resumingAfter keepingThrough: Int?) throws {
        self.url = url
        var kept = Data()
        if let keepingThrough, let existing = try? Data(contentsOf: url) {
            for line in existing.split(separator: UInt8(ascii: "\n")) {
                if let record = try? Self.decoder().decode(LossRecord.self, from: Data(line)), record.globalStep <= keepingThrough {
                    kept.append(line); kept.append(UInt8(ascii: "\n"))
                }
            }
        }
        try AtomicFile.write(kept, to: url)
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    deinit { try? handle.close() }

    func append(_ record: LossRecord) throws {
        var line = try encoder.encode(record)
        line.append(UInt8(ascii: "\n"))
        try handle.write(contentsOf: line)
    }

    /// Every record in the log file.
    static func records(at url: URL) -> [LossRecord] {
        guard let data = try? Data(contentsOf: url) else { return [] }
        let decoder = decoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(LossRecord.self, from: Data($0)) }
    }
}
