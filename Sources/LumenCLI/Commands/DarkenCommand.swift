import ArgumentParser
import Foundation
import LumenImaging
import LumenIO
import LumenTensor

/// `lumen darken`: simulate an under-exposed shot of a normal photo.
struct Darken: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a low-light version of a photo: an exposure change in EV, applied in linear light.",
        discussion: "The bundled sample Resources/samples/astronaut-dark.jpg was made with this command (see its README).")

    @Argument(help: "The photo to darken (PNG, JPEG, TIFF, WebP or BMP).")
    var input: String

    @Option(name: .shortAndLong, help: "Output file (its format from the extension).")
    var output: String

    @Option(parsing: .unconditional, help: "Exposure change in stops; negative darkens (-1 EV halves the light).")
    var ev: Float = -3

    @Option(help: "JPEG quality, 1-100.")
    var quality: Int = 92

    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        guard (-10...10).contains(ev) else { throw ValidationError("--ev must be within -10...10, got \(ev)") }
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be in 1...100, got \(quality)") }
    }

    func run() throws {
        runtime.apply()
        try refuseReplacingInput(output: URL(fileURLWithPath: output), inputs: [URL(fileURLWithPath: input)])
        let image = try Image(contentsOf: URL(fileURLWithPath: input)).rgb()
        let darkened = exposureAdjusted(image.tensor(), ev: ev)
        try Image(tensor: darkened).write(to: URL(fileURLWithPath: output), quality: quality)
        print("\(input) -> \(output): \(ev) EV")
    }
}
