import LumenTensor

/// OpenCV's 8-bit RGB ↔ YCrCb conversion (`COLOR_BGR2YCrCb` / `COLOR_YCrCb2BGR` on
/// `CV_8U`), reproduced bit for bit: BT.601 weights in 14-bit fixed point, rounded
/// by adding half and shifting (`CV_DESCALE`), saturated to bytes.
///
/// A float conversion rounded to bytes differs from it by one level on a few
/// percent of pixels, enough to move histogram-equalised values by several levels,
/// so the equalisation baseline uses this exact form.
///
/// The arithmetic is in wrapping `Int32` (no value comes near overflow) so that the
/// loops vectorise.
enum FixedPointYCrCb {
    private static let shift: Int32 = 14
    private static let half: Int32 = 1 << (shift - 1)

    /// Converts `count` pixels from rows of R, G, B to rows of Y, Cr, Cb.
    static func fromRGB(_ rgb: PlaneAddresses, to ycrcb: MutablePlaneAddresses, count: Int) {
        for index in 0..<count {
            let (r, g, b) = (Int32(rgb.0[index]), Int32(rgb.1[index]), Int32(rgb.2[index]))
            let y = (r &* 4899 &+ g &* 9617 &+ b &* 1868 &+ half) &>> shift
            ycrcb.0[index] = saturated(y)
            ycrcb.1[index] = saturated(((r &- y) &* 11682 &+ (128 << shift) &+ half) &>> shift)
            ycrcb.2[index] = saturated(((b &- y) &* 9241 &+ (128 << shift) &+ half) &>> shift)
        }
    }

    /// Converts `count` pixels from rows of Y, Cr, Cb to rows of R, G, B.
    static func toRGB(_ ycrcb: PlaneAddresses, to rgb: MutablePlaneAddresses, count: Int) {
        for index in 0..<count {
            let (y, cr, cb) = (Int32(ycrcb.0[index]), Int32(ycrcb.1[index]) &- 128, Int32(ycrcb.2[index]) &- 128)
            rgb.0[index] = saturated(y &+ ((cr &* 22987 &+ half) &>> shift))
            rgb.1[index] = saturated(y &+ ((cb &* -5636 &+ cr &* -11698 &+ half) &>> shift))
            rgb.2[index] = saturated(y &+ ((cb &* 29049 &+ half) &>> shift))
        }
    }
}
