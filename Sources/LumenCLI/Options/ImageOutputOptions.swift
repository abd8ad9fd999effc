import ArgumentParser
import Foundation
import LumenIO

/// How the commands that write photos (`enhance`, `upscale`, `denoise`) write them,
/// and the tiles they compute them in.
struct ImageOutputOptions: ParsableArguments {
    @Option(help: "Process large images in tiles of this many pixels a side (bounded memory, same result); 0 for whole images.")
    var tileSize: Int = 512

    @Option(help: "Output format: png, jpeg, tiff, webp or bmp (default: from the output file name, else png).")
    var format: ImageFormat?

    @Option(help: "JPEG and WebP quality, 1-100; WebP at 100 is lossless.")
    var quality: Int = 95

    @Option(help: "PNG and TIFF bit depth: 8 or 16.")
    var bitDepth: Int = 8

    /// Checks the values and that the format `-o` implies can store the bit depth.
    func validate(output: String?) throws {
        guard tileSize == 0 || tileSize >= 16 else { throw ValidationError("--tile-size must be 0 or at least 16, got \(tileSize)") }
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be in 1...100, got \(quality)") }
        guard bitDepth == 8 || bitDepth == 16 else { throw ValidationError("--bit-depth must be 8 or 16, got \(bitDepth)") }
        let planned = format ?? output.flatMap { ImageFormat(pathExtension: ($0 as NSString).pathExtension) } ?? .png
        if !planned.bitDepths.contains(bitDepth) {
            throw ValidationError("\(planned) has no \(bitDepth)-bit form: use --format png or tiff with --bit-depth 16")
        }
    }
}

extension ImageFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(pathExtension: argument) }
}
