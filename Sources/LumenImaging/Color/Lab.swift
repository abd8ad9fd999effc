import Foundation
import LumenTensor

/// CIE L\*a\*b\* for sRGB images under the D65 white, on tensors `[N, 3, H, W]`
/// with channels in the order L, a, b.
///
/// L is in `[0, 100]`; a and b are unscaled (about −128 to 127 for sRGB colours).
/// The constants are OpenCV's (`COLOR_RGB2Lab` on float images: the sRGB primaries
/// matrix to six digits, white `(0.950456, 1, 1.088754)`, the linear segment
/// `7.787 t + 16/116` below `t = 0.008856`), so that results agree with OpenCV's.
/// OpenCV's 8-bit Lab stores `L · 255/100`, `a + 128`, `b + 128`.
public enum Lab {
    /// sRGB-encoded RGB in `[0, 1]` to Lab.
    public static func fromRGB(_ rgb: Tensor) -> Tensor {
        mappingPixels(rgb) { pixel in
            let linear = SIMD3(toLinear(pixel.x), toLinear(pixel.y), toLinear(pixel.z))
            let xyz = SIMD3((xFromRGB * linear).sum(), (yFromRGB * linear).sum(), (zFromRGB * linear).sum()) / white
            let f = SIMD3(forward(xyz.x), forward(xyz.y), forward(xyz.z))
            let lightness = xyz.y > threshold ? 116 * f.y - 16 : 903.3 * xyz.y
            return SIMD3(lightness, 500 * (f.x - f.y), 200 * (f.y - f.z))
        }
    }

    /// Lab back to sRGB-encoded RGB, the inverse of ``fromRGB(_:)``; not clamped
    /// (out-of-gamut colours leave `[0, 1]`).
    public static func toRGB(_ lab: Tensor) -> Tensor {
        mappingPixels(lab) { pixel in
            let (lightness, a, b) = (pixel.x, pixel.y, pixel.z)
            let y = lightness > 903.3 * threshold ? pow((lightness + 16) / 116, 3) : lightness / 903.3
            let fy = y > threshold ? (lightness + 16) / 116 : 7.787 * y + 16 / 116
            let xyz = SIMD3(inverse(fy + a / 500), y, inverse(fy - b / 200)) * white
            return SIMD3(toEncoded((rFromXYZ * xyz).sum()), toEncoded((gFromXYZ * xyz).sum()),
                         toEncoded((bFromXYZ * xyz).sum()))
        }
    }

    static let threshold: Float = 0.008_856
    static let white = SIMD3<Float>(0.950_456, 1, 1.088_754)
    static let xFromRGB = SIMD3<Float>(0.412_453, 0.357_580, 0.180_423)
    static let yFromRGB = SIMD3<Float>(0.212_671, 0.715_160, 0.072_169)
    static let zFromRGB = SIMD3<Float>(0.019_334, 0.119_193, 0.950_227)
    static let rFromXYZ = SIMD3<Float>(3.240_479, -1.537_150, -0.498_535)
    static let gFromXYZ = SIMD3<Float>(-0.969_256, 1.875_991, 0.041_556)
    static let bFromXYZ = SIMD3<Float>(0.055_648, -0.204_043, 1.057_311)

    static func forward(_ t: Float) -> Float { t > threshold ? cbrt(t) : 7.787 * t + 16 / 116 }

    static func inverse(_ f: Float) -> Float {
        let cube = f * f * f
        return cube > threshold ? cube : (f - 16 / 116) / 7.787
    }

    static func toLinear(_ v: Float) -> Float { v <= 0.040_45 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }

    static func toEncoded(_ v: Float) -> Float { v <= 0.003_130_8 ? v * 12.92 : 1.055 * pow(v, 1 / 2.4) - 0.055 }
}
