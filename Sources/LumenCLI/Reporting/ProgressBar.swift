import Foundation

/// A progress line on standard error: done/total, rate, ETA.
///
/// On a terminal the line is redrawn in place; otherwise (CI logs, pipes) a plain
/// line is printed at most every few seconds and at the end, so logs stay short.
final class ProgressBar {
    private let total: Int
    private let unit: String
    private let start = Date()
    /// Items already done when the bar started (a resumed run); the rate counts only new ones.
    private let initial: Int
    private var lastPrint = Date.distantPast
    private let interactive = isatty(FileHandle.standardError.fileDescriptor) != 0

    init(total: Int, unit: String, startingAt initial: Int = 0) {
        self.total = total
        self.unit = unit
        self.initial = initial
    }

    /// Reports that `done` of the items are finished; `detail` is appended (e.g. a file name).
    func update(done: Int, detail: String = "") {
        let now = Date()
        let finished = done >= total
        guard finished || now.timeIntervalSince(lastPrint) >= (interactive ? 0.1 : 5) else { return }
        lastPrint = now
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done - initial) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let width = 24
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        let speed = rate > 0 ? "\(String(format: "%.2f", rate)) \(unit)/s  ETA \(Self.clock(eta))" : "-- \(unit)/s  ETA --"
        let line = "[\(bar)] \(done)/\(total) \(unit)  \(speed)"
            + (detail.isEmpty ? "" : "  \(detail)")
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + (finished ? "\n" : "")).utf8))
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
