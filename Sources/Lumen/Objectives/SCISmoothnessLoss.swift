import LumenTensor

/// How ``sciSmoothnessLoss(illumination:input:sigma:colorTransform:)`` turns the
/// input into the YCbCr guide that weights the smoothness term.
///
/// With the official σ = 10 and images in `[0, 1]` every weight is close to 1,
/// so the choice changes SCI's loss little (1.5e-4 of its value on the reference
/// input), but over ten times the conformance tolerance: that test uses `.official`.
public enum SCISmoothnessColorTransform: String, Sendable, CaseIterable {
    /// BT.601 studio-swing RGB → YCbCr of each pixel (`Y = 16/255 + 0.257 R +
    /// 0.504 G + 0.098 B`, likewise Cb and Cr). Lumen's default.
    case perPixel
    /// The official `SmoothLoss.rgb2yCbCr`, for conformance: it flattens the
    /// NCHW tensor with `view(-1, 3)`, so each "pixel" it transforms is three
    /// consecutive values in memory (mostly neighbours in one channel row), and
    /// its Y row has 0.564 for G where BT.601 has 0.504.
    case official

    /// `[3, 3]` matrix `M` (rows R, G, B; columns Y, Cb, Cr): `[Y Cb Cr] = [R G B] · M + bias`.
    var matrix: Tensor {
        let yFromGreen: Float = self == .official ? 0.564 : 0.504
        return Tensor(shape: [3, 3], scalars: [0.257, -0.148, 0.439,
                                               yFromGreen, -0.291, -0.368,
                                               0.098, 0.439, -0.071])
    }

    /// `[3]` offsets of Y, Cb, Cr.
    static let bias = Tensor(shape: [3], scalars: [16 / 255, 128 / 255, 128 / 255])

    /// The guide image `[N, 3, H, W]` for `image` `[N, 3, H, W]`.
    func guide(_ image: Tensor) -> Tensor {
        let (batch, height, width) = (image.shape[0], image.shape[2], image.shape[3])
        switch self {
        case .perPixel:
            return (image.permuted([0, 2, 3, 1]).matmul(matrix) + Self.bias).permuted([0, 3, 1, 2])
        case .official:
            let rows = image.reshaped([image.scalarCount / 3, 3])
            return (rows.matmul(matrix) + Self.bias).reshaped([batch, 3, height, width])
        }
    }
}

/// SCI's smoothness loss: an edge-aware total variation of the illumination,
/// weighted by how similar the input's colours are.
///
/// For the guide `Y = YCbCr(input)` and each of the 12 neighbour offsets `d`
/// with `|dy|, |dx| ≤ 2` and `d ≠ 0` up to sign, over the pixels `p` where
/// `p + d` is inside the image:
///
///     w(p, d) = exp(−Σ_c (Y_c[p + d] − Y_c[p])² / (2σ²))
///     E = Σ_d 2 · mean_p w(p, d) · Σ_c |i_c[p + d] − i_c[p]|
///
/// The official code lists all 24 offsets, each direction and its opposite
/// separately; the two terms of a pair are equal, hence the factor 2. Port of
/// `SmoothLoss` in https://github.com/vis-opt-group/SCI/blob/main/loss.py.
/// Gradients flow into both arguments (in SCI's later stages the input depends
/// on the calibration network). Computed by the fused
/// ``Tensor/guidedVariation(guide:offsets:weightScale:)``.
/// - Parameters:
///   - illumination: the estimated illumination `i` `[N, 3, H, W]`, H and W at least 3.
///   - input: the stage input the weights are computed from, same shape.
///   - sigma: the colour scale σ (10 officially).
///   - colorTransform: how the guide is computed; `.official` reproduces the
///     reference implementation's reshape quirk.
/// - Returns: the loss, a scalar.
public func sciSmoothnessLoss(illumination: Tensor, input: Tensor, sigma: Float = 10,
                              colorTransform: SCISmoothnessColorTransform = .perPixel) -> Tensor {
    precondition(illumination.shape == input.shape && input.shape.rank == 4 && input.shape[1] == 3,
                 "sciSmoothnessLoss of \(illumination.shape) and \(input.shape)")
    precondition(input.shape[2] >= 3 && input.shape[3] >= 3, "sciSmoothnessLoss needs H, W >= 3, got \(input.shape)")
    let guide = colorTransform.guide(input)
    return 2 * illumination.guidedVariation(guide: guide, offsets: sciNeighbourOffsets, weightScale: -1 / (2 * sigma * sigma))
}

/// The 12 offsets with `|dy|, |dx| ≤ 2` of SCI's smoothness loss, one of each
/// opposite pair.
private let sciNeighbourOffsets = [(1, 0), (0, 1), (1, 1), (1, -1), (2, 0), (0, 2),
                                   (2, 1), (2, -1), (1, 2), (1, -2), (2, 2), (2, -2)]
    .map { NeighbourOffset(rows: $0.0, columns: $0.1) }
