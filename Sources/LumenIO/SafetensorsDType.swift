/// The safetensors element types that ``Safetensors`` reads; raw values are the
/// header spellings. Every one is converted to Float32 on load.
enum SafetensorsDType: String, CaseIterable {
    case float32 = "F32"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case float64 = "F64"
    /// Integers (BatchNorm's `num_batches_tracked`) become the nearest Float,
    /// which is exact up to 2^24 in magnitude.
    case int64 = "I64"
    case int32 = "I32"
    /// Quantised weights (``Safetensors/encode(_:metadata:int8Keys:)`` writes them).
    case int8 = "I8"

    /// Whether the stored values are integers (counters or quantised weights, not
    /// floating-point parameters).
    var isInteger: Bool { self == .int64 || self == .int32 || self == .int8 }

    /// Bytes per element.
    var byteCount: Int {
        switch self {
        case .int8: 1
        case .float16, .bfloat16: 2
        case .float32, .int32: 4
        case .float64, .int64: 8
        }
    }

    /// Converts the little-endian elements in `source` to Float32, one per element of `destination`.
    ///
    /// - Precondition: `source.count == destination.count * byteCount`.
    func convert(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count == destination.count * byteCount, "\(source.count) bytes for \(destination.count) \(rawValue) elements")
        // Loads are unaligned: offsets in a file need not be multiples of the element size.
        func load<T: FixedWidthInteger>(_ index: Int, as type: T.Type) -> T {
            T(littleEndian: source.loadUnaligned(fromByteOffset: index * byteCount, as: T.self))
        }
        switch self {
        case .float32: for i in destination.indices { destination[i] = Float(bitPattern: load(i, as: UInt32.self)) }
        case .float16: for i in destination.indices { destination[i] = Self.float(fromFloat16Bits: load(i, as: UInt16.self)) }
        case .bfloat16: for i in destination.indices { destination[i] = Float(bitPattern: UInt32(load(i, as: UInt16.self)) << 16) }
        case .float64: for i in destination.indices { destination[i] = Float(Double(bitPattern: load(i, as: UInt64.self))) }
        case .int64: for i in destination.indices { destination[i] = Float(load(i, as: Int64.self)) }
        case .int32: for i in destination.indices { destination[i] = Float(load(i, as: Int32.self)) }
        case .int8: for i in destination.indices { destination[i] = Float(Int8(bitPattern: source[i])) }
        }
    }

    /// Converts IEEE 754 binary16 bits to the equal Float32 (every half value is exact in Float32).
    ///
    /// Written with bit operations because Swift's `Float16` type is unavailable on
    /// macOS x86_64.
    static func float(fromFloat16Bits bits: UInt16) -> Float {
        let sign: UInt32 = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal, mantissa × 2^-24: normal in Float32, so rebuild it
            // by arithmetic rather than by shifting bits (which would need renormalising).
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            // Infinity (mantissa 0) or NaN, keeping the payload.
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            // Rebias the exponent from 15 to 127.
            return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
        }
    }
}
