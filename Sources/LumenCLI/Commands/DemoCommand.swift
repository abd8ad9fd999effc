import ArgumentParser
import Foundation
import LumenIO
import LumenTensor

/// Shows the engine end to end before any learned model exists: decode a photo,
/// run it through a fixed depthwise 3x3 convolution (a mild sharpen), brighten it
/// with one Zero-DCE light-enhancement curve step `x + r·(x² − x)`, and write a PNG.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode a photo, sharpen and brighten it with fixed tensor ops, write a PNG.")

    @Argument(help: "The photo to process (PNG or JPEG).")
    var input: String

    @Option(name: .shortAndLong, help: "Output PNG file.")
    var output: String

    @Option(help: "Curve strength r in [-1, 0): more negative brightens more.")
    var curve: Float = -0.8

    func validate() throws {
        guard curve >= -1, curve < 0 else { throw ValidationError("--curve must be in [-1, 0), got \(curve)") }
    }

    func run() throws {
        let start = Date()
        let image = try Image(contentsOf: URL(fileURLWithPath: input)).rgb()
        let x = image.tensor()
        let sharpen: [Float] = [0, -0.25, 0, -0.25, 2, -0.25, 0, -0.25, 0]
        let weight = Tensor(shape: [3, 1, 3, 3], scalars: Array([sharpen, sharpen, sharpen].joined()))
        let enhanced = withoutGradients { () -> Tensor in
            let sharpened = conv2d(x.padded(Padding(1), mode: .replicate), weight: weight, groups: 3).clamped(min: 0, max: 1)
            return (sharpened + curve * (sharpened * sharpened - sharpened)).clamped(min: 0, max: 1)
        }
        try Image(tensor: enhanced).write(to: URL(fileURLWithPath: output), format: .png)
        let elapsed = Date().timeIntervalSince(start)
        print("\(input) (\(image.width)x\(image.height)) -> \(output) in \(String(format: "%.2f", elapsed)) s")
    }
}
