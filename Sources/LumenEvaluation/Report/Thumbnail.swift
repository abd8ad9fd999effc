import Foundation
import LumenImaging
import LumenIO

/// A JPEG of `image` with its long side at most `longSide` pixels (MATLAB-style
/// bicubic), for the HTML reports; `nil` if it cannot be encoded.
func jpegThumbnail(_ image: Image, longSide: Int) -> Data? {
    let scale = min(1, Double(longSide) / Double(max(image.height, image.width)))
    let small = scale < 1
        ? image.rgb().resizedLikeMATLAB(width: max(1, Int(Double(image.width) * scale)), height: max(1, Int(Double(image.height) * scale)))
        : image
    return try? small.encoded(as: .jpeg, quality: 85)
}
