import Foundation
import LumenImaging
import LumenIO

/// One model's alpha of one photo, scored.
public struct MattingRecord: Sendable {
    public let sample: String
    public let method: String
    public let seconds: Double
    /// The errors over the whole image and, with a trimap, over its unknown region.
    public let errors: [MattingRegion: MattingErrors]
    /// The alpha's path relative to the images folder, when written.
    public let output: String?
}

/// A model's mean errors over the photos, in one region.
public struct MattingSummary: Sendable, Equatable {
    public let method: String
    public let region: MattingRegion
    /// Photos scored in this region.
    public let images: Int
    public let milliseconds: Double
    /// The means of every field of ``MattingErrors`` (``MattingErrors/regionPixels``: the mean count).
    public let means: MattingErrors
}

/// Everything `lumen eval --task matting` produced, and its report files.
public struct MattingResults: Sendable {
    static let photoLabel = "photo"
    static let referenceLabel = "ground truth"

    public let methods: [String]
    /// Whether trimaps were given, so that the unknown-region errors exist.
    public let hasTrimaps: Bool
    public let records: [MattingRecord]
    /// Files that could not be scored, one message each naming it.
    public let problems: [String]
    /// JPEG thumbnails per photo and column (photo, ground truth, method labels).
    public let thumbnails: [String: [String: Data]]

    /// The regions scored: the unknown region first when there are trimaps.
    public var regions: [MattingRegion] { hasTrimaps ? [.unknown, .whole] : [.whole] }

    /// One summary per method and region.
    public var summaries: [MattingSummary] {
        regions.flatMap { region in
            methods.map { method in
                let rows = records.filter { $0.method == method }
                let scored = rows.compactMap { $0.errors[region] }
                func mean(_ field: (MattingErrors) -> Double) -> Double {
                    scored.isEmpty ? .nan : scored.map(field).reduce(0, +) / Double(scored.count)
                }
                let means = MattingErrors(sad: mean(\.sad), mse: mean(\.mse), mad: mean(\.mad), gradient: mean(\.gradient),
                                          connectivity: mean(\.connectivity),
                                          regionPixels: scored.isEmpty ? 0 : scored.map(\.regionPixels).reduce(0, +) / scored.count)
                let seconds = rows.map(\.seconds)
                return MattingSummary(method: method, region: region, images: scored.count,
                                      milliseconds: seconds.isEmpty ? .nan : 1000 * seconds.reduce(0, +) / Double(seconds.count),
                                      means: means)
            }
        }
    }

    /// The summary as a Markdown table: SAD and Conn as Deep Image Matting prints
    /// them (/1000), MSE as a mean (papers often print it × 1000), Grad /1000, MAD.
    public var markdown: String {
        var lines = ["| region | method | images | ms/image | SAD ↓ | MSE ↓ | Grad ↓ | Conn ↓ | MAD ↓ |",
                     "| --- | --- | --: | --: | --: | --: | --: | --: | --: |"]
        for summary in summaries {
            let m = summary.means
            lines.append("| \(summary.region.rawValue) | \(summary.method) | \(summary.images) | "
                         + String(format: "%.1f | %.3f | %.5f | %.3f | %.3f | %.5f |", summary.milliseconds,
                                  m.sad, m.mse, m.gradient, m.connectivity, m.mad))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `summary.md`, `per-image.csv` and `report.html` (each photo with its true
    /// alpha and every model's alpha beside it) into `folder`.
    public func write(to folder: URL) throws {
        try AtomicFile.write(Data(markdown.utf8), to: folder.appendingPathComponent("summary.md"))
        var csv = ["image,method,region,seconds,sad,mse,grad,conn,mad,region_pixels"]
        for record in records {
            for region in regions {
                guard let e = record.errors[region] else { continue }
                csv.append("\(record.sample),\(record.method),\(region.rawValue),\(record.seconds),"
                           + "\(e.sad),\(e.mse),\(e.gradient),\(e.connectivity),\(e.mad),\(e.regionPixels)")
            }
        }
        try AtomicFile.write(Data((csv.joined(separator: "\n") + "\n").utf8), to: folder.appendingPathComponent("per-image.csv"))
        try AtomicFile.write(Data(html.utf8), to: folder.appendingPathComponent("report.html"))
    }

    private var html: String {
        func escaped(_ text: String) -> String { BarChart.escaped(text) }
        let columns = [Self.photoLabel, Self.referenceLabel] + methods
        var html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Lumen matting evaluation</title>"
            + "<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{padding:4px 8px;border:1px solid #ccc}"
            + "img{display:block;max-width:200px}</style></head><body><h1>Matting evaluation</h1><table><tr>"
            + "<th>region</th><th>method</th><th>images</th><th>ms/image</th><th>SAD</th><th>MSE</th><th>Grad</th><th>Conn</th><th>MAD</th></tr>"
        for summary in summaries {
            let m = summary.means
            html += "<tr><td>\(summary.region.rawValue)</td><td>\(escaped(summary.method))</td><td>\(summary.images)</td>"
                + String(format: "<td>%.1f</td><td>%.3f</td><td>%.5f</td><td>%.3f</td><td>%.3f</td><td>%.5f</td></tr>",
                         summary.milliseconds, m.sad, m.mse, m.gradient, m.connectivity, m.mad)
        }
        html += "</table><h2>Alphas</h2><table><tr><th>image</th>" + columns.map { "<th>\(escaped($0))</th>" }.joined() + "</tr>"
        for name in Set(records.map(\.sample)).sorted() {
            html += "<tr><td>\(escaped(name))</td>"
            for column in columns {
                html += "<td>"
                if let jpeg = thumbnails[name]?[column] {
                    html += "<img alt=\"\(escaped(column)) \(escaped(name))\" src=\"data:image/jpeg;base64,\(jpeg.base64EncodedString())\">"
                }
                if let errors = records.first(where: { $0.sample == name && $0.method == column })?.errors[regions[0]] {
                    html += String(format: "SAD %.3f, Grad %.3f", errors.sad, errors.gradient)
                }
                html += "</td>"
            }
            html += "</tr>"
        }
        return html + "</table>" + problems.map { "<p>\(escaped($0))</p>" }.joined() + "</body></html>\n"
    }
}
