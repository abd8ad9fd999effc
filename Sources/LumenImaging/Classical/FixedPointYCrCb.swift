import LumenTensor

/// OpenCV's 8-bit RGB ↔ YCrCb conversion (`COLOR_BGR2YCrCb` / `COLOR_YCrCb2BGR` on
/// `CV_8U`), reproduced bit for bit: BT.601 weights in 14-bit fixed point, rounded
/// by adding half and shifting (`CV_DESCALE`), saturated to bytes.
///
/// A float conversion rounded to bytes differs from it by one level on a few
/// percent of pixels, enough to move histogram-equalised values by several levels,
/// so the equalisation baseline uses this exact form.
enum FixedPointYCrCb {
    private static let shift = 14
    private static let half = 1 << (shift - 1)

    /// Y, Cr, Cb planes from R, G, B planes of the same size.
    static func fromRGB(_ rgb: [Plane<UInt8>]) -> [Plane<UInt8>] {
        converted(rgb) { pixels, input, output in
            for index in pixels {
                let (r, g, b) = (Int(input.0[index]), Int(input.1[index]), Int(input.2[index]))
                let y = (r * 4899 + g * 9617 + b * 1868 + half) >> shift
                output.0[index] = saturated(y)
                output.1[index] = saturated(((r - y) * 11682 + (128 << shift) + half) >> shift)
                output.2[index] = saturated(((b - y) * 9241 + (128 << shift) + half) >> shift)
            }
        }
    }

    /// R, G, B planes from Y, Cr, Cb planes of the same size.
    static func toRGB(_ ycrcb: [Plane<UInt8>]) -> [Plane<UInt8>] {
        converted(ycrcb) { pixels, input, output in
            for index in pixels {
                let (y, cr, cb) = (Int(input.0[index]), Int(input.1[index]) - 128, Int(input.2[index]) - 128)
                output.0[index] = saturated(y + ((cr * 22987 + half) >> shift))
                output.1[index] = saturated(y + ((cb * -5636 + cr * -11698 + half) >> shift))
                output.2[index] = saturated(y + ((cb * 29049 + half) >> shift))
            }
        }
    }
}
