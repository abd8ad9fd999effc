import ArgumentParser
import Foundation
import LumenIO

/// How the commands that write photos (`enhance`, `upscale`, `denoise`, `matte`) write them,
/// and the tiles they compute them in.
struct ImageOutputOptions: ParsableArguments {
    @Option(help: "Process large images in tiles of this many pixels a side (bounded memory, same result); 0 for whole images (default: 512; matte: 1024).")
    var tileSize: Int?

    @Option(help: "Output format: png, jpeg, tiff, webp or bmp (default: from the output file name, else png).")
    var format: ImageFormat?

    @Option(help: "JPEG and WebP quality, 1-100; WebP at 100 is lossless.")
    var quality: Int = 95

    @Option(help: "PNG and TIFF bit depth: 8 or 16.")
    var bitDepth: Int = 8

    /// The tile side to compute in: `--tile-size`, else `standard`. The matting
    /// model's 224-pixel halo makes its tiles cost more the smaller they are, so
    /// `matte` defaults to 1024 (README, "Low-light matting", for the measurements).
    func tiles(standard: Int = 512) -> Int { tileSize ?? standard }

    /// Checks the values and that the format `-o` implies can store the bit depth.
    func validate(output: String?) throws {
        if let tileSize, tileSize != 0 && tileSize < 16 { throw ValidationError("--tile-size must be 0 or at least 16, got \(tileSize)") }
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
