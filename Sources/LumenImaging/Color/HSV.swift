import LumenTensor

/// Hue, saturation, value on tensors `[N, 3, H, W]`, every channel in `[0, 1]`:
/// the hue is a fraction of a turn (0 red, 1/3 green, 2/3 blue); gray pixels
/// have hue and saturation 0.
public enum HSV {
    /// RGB in `[0, 1]` to HSV.
    public static func fromRGB(_ rgb: Tensor) -> Tensor {
        mappingPixels(rgb) { pixel in
            let value = pixel.max(), chroma = value - pixel.min()
            guard chroma > 0 else { return SIMD3(0, 0, value) }
            var hue: Float
            if value == pixel.x {
                hue = (pixel.y - pixel.z) / chroma
            } else if value == pixel.y {
                hue = 2 + (pixel.z - pixel.x) / chroma
            } else {
                hue = 4 + (pixel.x - pixel.y) / chroma
            }
            hue /= 6
            if hue < 0 { hue += 1 }
            return SIMD3(hue, chroma / value, value)
        }
    }

    /// HSV back to RGB, the inverse of ``fromRGB(_:)``.
    public static func toRGB(_ hsv: Tensor) -> Tensor {
        mappingPixels(hsv) { pixel in
            let (value, chroma) = (pixel.z, pixel.z * pixel.y)
            let sector = (pixel.x - pixel.x.rounded(.down)) * 6
            let secondary = chroma * (1 - abs(sector.truncatingRemainder(dividingBy: 2) - 1))
            let low = value - chroma
            switch Int(sector) {
            case 0: return SIMD3(value, low + secondary, low)
            case 1: return SIMD3(low + secondary, value, low)
            case 2: return SIMD3(low, value, low + secondary)
            case 3: return SIMD3(low, low + secondary, value)
            case 4: return SIMD3(low + secondary, low, value)
            default: return SIMD3(value, low, low + secondary)
            }
        }
    }
}
