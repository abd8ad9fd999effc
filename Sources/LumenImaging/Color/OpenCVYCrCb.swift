/// OpenCV's 8-bit RGB ↔ YCrCb conversion (`cvtColor` with `COLOR_RGB2YCrCb` /
/// `COLOR_YCrCb2RGB` on `CV_8U`), bit for bit, on planes of bytes: the colour
/// conversion of OpenCV's `dnn_superres` luma models.
public enum OpenCVYCrCb {
    /// Y, Cr and Cb planes of `count` pixels from planes of R, G and B.
    public static func fromRGB(red: UnsafePointer<UInt8>, green: UnsafePointer<UInt8>, blue: UnsafePointer<UInt8>,
                               y: UnsafeMutablePointer<UInt8>, cr: UnsafeMutablePointer<UInt8>, cb: UnsafeMutablePointer<UInt8>,
                               count: Int) {
        FixedPointYCrCb.fromRGB((red, green, blue), to: (y, cr, cb), count: count)
    }

    /// R, G and B planes of `count` pixels from planes of Y, Cr and Cb.
    public static func toRGB(y: UnsafePointer<UInt8>, cr: UnsafePointer<UInt8>, cb: UnsafePointer<UInt8>,
                             red: UnsafeMutablePointer<UInt8>, green: UnsafeMutablePointer<UInt8>, blue: UnsafeMutablePointer<UInt8>,
                             count: Int) {
        FixedPointYCrCb.toRGB((y, cr, cb), to: (red, green, blue), count: count)
    }
}
