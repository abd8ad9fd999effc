import Foundation
import LumenTensor

extension LookupTable {
    /// The gamma-correction curve `out = rint(255 · (i / 255)^(1/γ))`, computed in
    /// double precision; γ > 1 brightens. Matches `gamma_table` in the reference
    /// script `tools/peers/classic.py`.
    public init(gamma: Double) {
        precondition(gamma > 0, "gamma \(gamma); expected a positive value")
        self.init { value in
            UInt8((255 * pow(Double(value) / 255, 1 / gamma)).rounded(.toNearestOrEven))
        }
    }
}

/// Gamma correction through an 8-bit table, as OpenCV's `cv2.LUT` with
/// ``LookupTable/init(gamma:)``: `out = rint(255 · (v8 / 255)^(1/γ)) / 255` with
/// `v8 = rint(v · 255)`.
/// - Parameters:
///   - image: RGB image `[N, 3, H, W]` in `[0, 1]`.
///   - gamma: γ; the default 2.2 brightens the mid-tones of a dark photo.
public func gammaCorrected(_ image: Tensor, gamma: Double = 2.2) -> Tensor {
    LookupTable(gamma: gamma).applied(to: image)
}
