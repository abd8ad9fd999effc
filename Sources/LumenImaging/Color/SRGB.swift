import Foundation
import LumenTensor

/// The sRGB transfer function (IEC 61966-2-1), element-wise on tensors in `[0, 1]`.
public enum SRGB {
    /// sRGB-encoded values to linear light: `v / 12.92` below 0.04045, else
    /// `((v + 0.055) / 1.055)^2.4`.
    public static func toLinear(_ encoded: Tensor) -> Tensor {
        Tensor(shape: encoded.shape, scalars: encoded.scalars.map { v in
            v <= 0.040_45 ? v / 12.92 : Float(pow((Double(v) + 0.055) / 1.055, 2.4))
        })
    }

    /// Linear light to sRGB encoding, the inverse of ``toLinear(_:)``.
    public static func fromLinear(_ linear: Tensor) -> Tensor {
        Tensor(shape: linear.shape, scalars: linear.scalars.map { v in
            v <= 0.003_130_8 ? v * 12.92 : Float(1.055 * pow(Double(v), 1 / 2.4) - 0.055)
        })
    }
}
