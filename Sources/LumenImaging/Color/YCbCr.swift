import LumenTensor

/// BT.601 YCbCr, on tensors `[N, 3, H, W]` with channels in the order Y, Cb, Cr.
///
/// ```swift
/// let ycbcr = YCbCr.fromRGB(image)                       // full range, as JPEG and OpenCV
/// let y = YCbCr.luma(image, range: .studio)              // MATLAB rgb2ycbcr's Y
/// ```
public enum YCbCr {
    /// How the components are scaled into `[0, 1]`.
    public enum Range: Sendable {
        /// JPEG / OpenCV `COLOR_RGB2YCrCb`: `Y = 0.299 R + 0.587 G + 0.114 B`,
        /// `Cb = 0.564 (B − Y) + 0.5`, `Cr = 0.713 (R − Y) + 0.5`; all of `[0, 1]` used.
        case full
        /// ITU-R BT.601 studio swing as MATLAB's `rgb2ycbcr`: `Y` in `[16, 235] / 255`,
        /// `Cb`, `Cr` in `[16, 240] / 255`. The convention of PSNR-Y, SSIM-Y and NIQE
        /// in the super-resolution literature (BasicSR).
        case studio
    }

    /// RGB in `[0, 1]` to YCbCr in `[0, 1]`.
    public static func fromRGB(_ rgb: Tensor, range: Range = .full) -> Tensor {
        mappingPixels(rgb) { pixel in
            switch range {
            case .full:
                let y = (Self.fullLuma * pixel).sum()
                return SIMD3(y, (pixel.z - y) * 0.564 + 0.5, (pixel.x - y) * 0.713 + 0.5)
            case .studio:
                return SIMD3((Self.studioY * pixel).sum() + 16 / 255,
                             (Self.studioCb * pixel).sum() + 128 / 255,
                             (Self.studioCr * pixel).sum() + 128 / 255)
            }
        }
    }

    /// YCbCr in `[0, 1]` back to RGB, the inverse of ``fromRGB(_:range:)``; not clamped.
    public static func toRGB(_ ycbcr: Tensor, range: Range = .full) -> Tensor {
        mappingPixels(ycbcr) { pixel in
            switch range {
            case .full:
                let (y, cb, cr) = (pixel.x, pixel.y - 0.5, pixel.z - 0.5)
                return SIMD3(y + 1.403 * cr, y - 0.714 * cr - 0.344 * cb, y + 1.773 * cb)
            case .studio:
                let (y, cb, cr) = (pixel.x - 16 / 255, pixel.y - 128 / 255, pixel.z - 128 / 255)
                let scale = 255 / Float(219)
                return SIMD3(scale * y + 1.596_027 * cr,
                             scale * y - 0.391_762 * cb - 0.812_968 * cr,
                             scale * y + 2.017_232 * cb)
            }
        }
    }

    /// Only the Y channel, `[N, 1, H, W]`.
    public static func luma(_ rgb: Tensor, range: Range = .full) -> Tensor {
        fromRGB(rgb, range: range).sliced(axis: rgb.shape.rank - 3, range: 0..<1)
    }

    static let fullLuma = SIMD3<Float>(0.299, 0.587, 0.114)
    // MATLAB rgb2ycbcr's matrix, divided by 255.
    static let studioY = SIMD3<Float>(65.481, 128.553, 24.966) / 255
    static let studioCb = SIMD3<Float>(-37.797, -74.203, 112.0) / 255
    static let studioCr = SIMD3<Float>(112.0, -93.786, -18.214) / 255
}
