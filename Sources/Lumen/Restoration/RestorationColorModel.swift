import LumenImaging
import LumenIO
import LumenTensor

/// How a restoration model sees a photo: which channels its tensors hold, how a
/// photo becomes them and how its output becomes a photo again.
///
/// Each published set of weights was trained with one of these, and reproducing
/// its numbers needs the same one, rounding included. A source with one colour
/// channel (gray) gives a gray result in every model.
public enum RestorationColorModel: String, Sendable, CaseIterable, Codable {
    /// Three channels, R, G, B in `[0, 1]`, at the photo's full precision (8 or
    /// 16 bits); a gray photo is replicated to RGB and the result's luma kept.
    case rgb
    /// One channel in `[0, 1]`, at full precision: a gray photo as it is, a colour
    /// photo channel by channel (R, G and B as a batch of three), as DnCNN's gray
    /// weights are used on colour.
    case gray
    /// OpenCV `dnn_superres`'s pipeline for ESPCN, FSRCNN and LapSRN: the photo's
    /// 8-bit YCrCb (``OpenCVYCrCb``), Y · (1/255) to the network, Cr and Cb enlarged
    /// bilinearly in float as OpenCV's generic `resize` does (`INTER_LINEAR`, rows
    /// then columns, not its IPP variant), the three merged, rounded to bytes and
    /// converted back. 16-bit photos are reduced to 8 bits first.
    case opencvLuma = "opencv-luma"
    /// Nhat-Thanh/ESPCN-Pytorch's full-range YCbCr: JPEG coefficients in float32,
    /// clipped to `[16, 235]` / `[16, 240]` and truncated to bytes, then / 255; the
    /// output back to RGB through the repository's `demo.py`, truncating twice.
    /// 8-bit, like `opencvLuma`.
    case nhatThanhYCbCr = "nhat-thanh-ycbcr"

    /// The channels of the network's tensors.
    public var channels: Int { self == .rgb || self == .nhatThanhYCbCr ? 3 : 1 }

    /// Whether the first output channel is a luma the protocol can score directly
    /// (studio Y = 16 + 219·Y for colour sources, 255·Y for gray ones).
    var outputsLuma: Bool { self == .opencvLuma || self == .nhatThanhYCbCr }

    /// The network's input for `image` (alpha left out): `[N, channels, H, W]`.
    public func networkInput(_ image: Image) -> Tensor { RestorationColorSession(self, image: image).input }

    /// Whether the pipeline rounds to 8 bits on its way (a 16-bit output then holds 8-bit values).
    public var isEightBit: Bool { outputsLuma }
}
