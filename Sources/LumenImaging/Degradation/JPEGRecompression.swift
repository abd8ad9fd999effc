import Foundation
import LumenIO
import LumenTensor

/// The image after a JPEG round trip at `quality`: 8-bit quantisation, chroma
/// subsampling and block artefacts, as a camera or a photo-sharing site leaves them.
/// - Parameters:
///   - image: RGB image `[1, 3, H, W]` in `[0, 1]`.
///   - quality: JPEG quality, `1...100`.
/// - Returns: The decoded JPEG, `[1, 3, H, W]`, values multiples of 1/255.
public func jpegRecompressed(_ image: Tensor, quality: Int) -> Tensor {
    precondition((1...100).contains(quality), "JPEG quality \(quality); expected 1...100")
    do {
        let data = try Image(tensor: image).encoded(as: .jpeg, quality: quality)
        return try Image.decode(data, name: "recompressed JPEG").tensor()
    } catch {
        // An RGB 8-bit image at a valid quality always encodes, and the codec reads what it wrote.
        preconditionFailure("JPEG round trip failed: \(error)")
    }
}
