import Foundation

/// OpenCV's 8-bit sRGB ↔ CIE L\*a\*b\* conversion (`COLOR_BGR2Lab` / `COLOR_Lab2BGR` on
/// `CV_8U`, D65), reproduced bit for bit from its integer tables (`color_lab.cpp`):
/// bytes hold `L · 255 / 100`, `a + 128` and `b + 128`.
///
/// The forward path looks up linear light in 1/2040 steps, multiplies by the
/// white-normalised sRGB → XYZ matrix in 12-bit fixed point and looks up `f(t)`
/// (cube root above (6/29)³, the linear segment below) in 15-bit fixed point. The
/// inverse path works in 14-bit fixed point with OpenCV's approximations of
/// `a / 500` and `b / 200`. The tables are built as OpenCV builds them: single-
/// precision arithmetic where OpenCV uses `softfloat`, double where it uses `softdouble`.
enum FixedPointLab {
    /// Converts `count` pixels from rows of R, G, B to rows of L, a, b.
    static func fromRGB(_ rgb: PlaneAddresses, to lab: MutablePlaneAddresses, count: Int) {
        let tables = Tables.shared
        tables.linear.withUnsafeBufferPointer { linear in
            tables.labF.withUnsafeBufferPointer { labF in
                let (linear, labF) = (linear.baseAddress!, labF.baseAddress!)
                for index in 0..<count {
                    let r = Int32(linear[Int(rgb.0[index])])
                    let g = Int32(linear[Int(rgb.1[index])])
                    let b = Int32(linear[Int(rgb.2[index])])
                    // Rows of round(4096 · diag(1 / white_D65) · M_sRGB→XYZ); each sums to 4096.
                    let fX = Int32(labF[Int((r &* 1777 &+ g &* 1541 &+ b &* 778 &+ 2048) &>> 12)])
                    let fY = Int32(labF[Int((r &* 871 &+ g &* 2929 &+ b &* 296 &+ 2048) &>> 12)])
                    let fZ = Int32(labF[Int((r &* 73 &+ g &* 448 &+ b &* 3575 &+ 2048) &>> 12)])
                    // 296 = (116 · 255 + 50) / 100, 1_336_934 = (16 · 255 · 2^15 + 50) / 100.
                    lab.0[index] = saturated((296 &* fY &- 1_336_934 &+ (1 << 14)) &>> 15)
                    lab.1[index] = saturated((500 &* (fX &- fY) &+ (128 << 15) &+ (1 << 14)) &>> 15)
                    lab.2[index] = saturated((200 &* (fY &- fZ) &+ (128 << 15) &+ (1 << 14)) &>> 15)
                }
            }
        }
    }

    /// Converts `count` pixels from rows of L, a, b to rows of R, G, B.
    static func toRGB(_ lab: PlaneAddresses, to rgb: MutablePlaneAddresses, count: Int) {
        let tables = Tables.shared
        tables.yAndFY.withUnsafeBufferPointer { yAndFY in
            tables.cubedF.withUnsafeBufferPointer { cubedF in
                tables.encoded.withUnsafeBufferPointer { encoded in
                    let (yAndFY, cubedF, encoded) = (yAndFY.baseAddress!, cubedF.baseAddress!, encoded.baseAddress!)
                    let offset = Int32(-Tables.minimumF)
                    for index in 0..<count {
                        let l = Int(lab.0[index])
                        let (y, fy) = (Int32(yAndFY[2 * l]), Int32(yAndFY[2 * l + 1]))
                        // OpenCV's integer stand-ins for a · 2^14 / 500 and b · 2^14 / 200.
                        let aOver500 = ((5 &* Int32(lab.1[index]) &* 53687 &+ (1 << 7)) &>> 13) &- 4194
                        let bOver200 = ((Int32(lab.2[index]) &* 41943 &+ (1 << 4)) &>> 9) &- 10485 &+ 1
                        let x = cubedF[Int(fy &+ aOver500 &+ offset)]
                        let z = cubedF[Int(fy &- bOver200 &+ offset)]
                        // Rows of round(4096 · M_XYZ→sRGB · diag(white_D65)), then the sRGB curve.
                        @inline(__always) func encodedChannel(_ cx: Int32, _ cy: Int32, _ cz: Int32) -> UInt8 {
                            encoded[Self.clampedIndex((cx &* x &+ cy &* y &+ cz &* z &+ (1 << 13)) &>> 14)]
                        }
                        rgb.0[index] = encodedChannel(12615, -6296, -2223)
                        rgb.1[index] = encodedChannel(-3773, 7684, 185)
                        rgb.2[index] = encodedChannel(217, -836, 4715)
                    }
                }
            }
        }
    }

    /// `value` clamped to `0 ... 4095` with masks rather than branches, which
    /// mispredict on saturated colours.
    @inline(__always)
    private static func clampedIndex(_ value: Int32) -> Int {
        let positive = value & ~(value &>> 31)
        return Int((positive | ((4095 &- positive) &>> 31)) & 4095)
    }

    /// The lookup tables, built once.
    private struct Tables: Sendable {
        static let shared = Tables()

        /// The smallest `f · 2^14` that the inverse path looks up in ``cubedF``.
        static let minimumF = -8145

        /// sRGB byte → linear light · 2040.
        let linear: [UInt16]
        /// `t · 2040` (t linear light, white-normalised) → `f(t) · 2^15`, for t < 1.5.
        let labF: [UInt16]
        /// L byte → (Y · 2^14, f(Y) · 2^14), interleaved.
        let yAndFY: [UInt16]
        /// `f · 2^14` → `f⁻¹(f) · 2^14`, offset by ``minimumF``.
        let cubedF: [Int32]
        /// Linear light · 4096 → sRGB byte.
        let encoded: [UInt8]

        private init() {
            let threshold = Float(216) / 24389 // (6/29)³
            let slope = Float(841) / 108 // (29/3)³ / 116
            let offset = Float(16) / 116
            linear = (0..<256).map { UInt16((Float(2040) * Self.srgbDecoded(Float($0) / 255)).rounded(.toNearestOrEven)) }
            let step = 1 / Float(2040)
            labF = (0..<3072).map { index in
                let t = step * Float(index)
                let f = t < threshold ? offset.addingProduct(t, slope) : Self.cubeRoot(t)
                return UInt16((32768 * f).rounded(.toNearestOrEven))
            }
            yAndFY = (0..<256).flatMap { l -> [UInt16] in
                let y, fy: Float
                if l <= 20 { // L below 8: Y = L / 903.3, f = 7.787 Y + 16/116
                    y = Float(l * 16384 * 20 * 9) / Float(17 * 29 * 29 * 29)
                    fy = Float(16384) * (Float(16) / 116 + Float(l * 5) / Float(3 * 17 * 29))
                } else {
                    fy = Float(l * 100 * 16384) / Float(255 * 116) + Float(16 * 16384) / 116
                    y = fy * fy * fy / Float(16384 * 16384)
                }
                return [UInt16(y.rounded(.toNearestOrEven)), UInt16(fy.rounded(.toNearestOrEven))]
            }
            cubedF = (Self.minimumF ..< 16384 * 9 / 4 + Self.minimumF).map { (f: Int) -> Int32 in
                // 3390 = (6/29) · 2^14 rounded up; 290 = 2^14 · 16 / 116 · 108 / 841 in integers.
                let cubed: Int = f <= 3390 ? f * 108 / 841 - 290 : f * f / 16384 * f / 16384
                return Int32(cubed)
            }
            encoded = (0..<4096).map { UInt8((Float(255) * Self.srgbEncoded(Float($0) / 4096)).rounded(.toNearestOrEven)) }
        }

        /// OpenCV's `softfloat` cube root (Turkowski's rational approximation in double
        /// precision, mantissa truncated to single), for positive normal `value`; it
        /// differs from the correctly rounded cube root by one unit in the last place
        /// for many inputs, which moves table entries by one.
        private static func cubeRoot(_ value: Float) -> Float {
            let exponent = Int(value.exponentBitPattern) - 127
            var shift = exponent % 3
            if shift >= 0 { shift -= 3 }
            let x = Double(sign: .plus, exponentBitPattern: UInt(1023 + shift),
                           significandBitPattern: UInt64(value.significandBitPattern) << 29)
            let (a1, a2, a3) = (Double(bitPattern: 0x4046_A09E_6653_BA70), Double(bitPattern: 0x4068_08F4_6C61_16E0),
                                Double(bitPattern: 0x405D_CA97_439C_AE14))
            let (a4, a5) = (Double(bitPattern: 0x402A_DD70_D282_7500), Double(bitPattern: 0x3FC4_F15F_83F5_5D2D))
            let (b1, b2, b3) = (Double(bitPattern: 0x402D_9E20_660E_DB21), Double(bitPattern: 0x4062_FF15_C028_5815),
                                Double(bitPattern: 0x4065_10D0_6A81_12CE))
            let b4 = Double(bitPattern: 0x4040_FECB_C9E2_C375)
            let root = ((((a1 * x + a2) * x + a3) * x + a4) * x + a5) / ((((b1 * x + b2) * x + b3) * x + b4) * x + 1)
            return Float(sign: .plus, exponentBitPattern: UInt((exponent - shift) / 3 - 1 + 127),
                         significandBitPattern: UInt32(truncatingIfNeeded: root.significandBitPattern >> 29))
        }

        /// The sRGB decoding curve, evaluated in double precision and rounded to float.
        private static func srgbDecoded(_ value: Float) -> Float {
            let v = Double(value)
            guard v > Double(809) / 20000 else { return Float(v / (Double(323) / 25)) }
            return Float(pow((v + 0.055) / (1 + 0.055), Double(12) / 5))
        }

        /// The sRGB encoding curve, evaluated in double precision and rounded to float.
        private static func srgbEncoded(_ value: Float) -> Float {
            let v = Double(value)
            guard v > Double(7827) / 2_500_000 else { return Float(v * (Double(323) / 25)) }
            return Float(pow(v, 1 / (Double(12) / 5)) * (1 + 0.055) - 0.055)
        }
    }
}
