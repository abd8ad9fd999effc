import CLumenKernels
import Foundation

/// The instruction sets of the int8 convolution kernels.
///
/// Like ``InstructionSet``, every set is compiled in and ``active`` picks one at run
/// time; `LUMEN_INT8_ISA=scalar|avx2|avx512-vnni|neon` forces one the CPU supports.
public enum Int8InstructionSet: String, CaseIterable, Sendable {
    /// Portable C; the reference the others are tested against, byte for byte.
    case scalar
    /// AVX2 (VPMADDUBSW + VPMADDWD): exact for weights of at most 7 bits.
    case avx2
    /// AVX-512 VNNI (VPDPBUSD).
    case avx512VNNI = "avx512-vnni"
    /// Advanced SIMD (widening multiplies).
    case neon

    var code: Int32 {
        switch self {
        case .scalar: Int32(LUMEN_QISA_SCALAR)
        case .avx2: Int32(LUMEN_QISA_AVX2)
        case .avx512VNNI: Int32(LUMEN_QISA_AVX512_VNNI)
        case .neon: Int32(LUMEN_QISA_NEON)
        }
    }

    /// Whether this CPU can run the kernels for this set.
    public var isSupported: Bool { lumen_qisa_supported(code) != 0 }

    /// Whether this set computes convolutions with `bits`-bit weights exactly.
    public func isExact(forWeightBits bits: Int) -> Bool { lumen_qisa_exact_for_weight_bits(code, Int32(bits)) != 0 }

    /// Every set this CPU can run, `scalar` first.
    public static var supported: [Int8InstructionSet] { allCases.filter(\.isSupported) }

    /// The widest weights every supported fast set computes exactly: 7 bits where
    /// the best this CPU has is AVX2, else 8.
    public static var nativeWeightBits: Int { active.isExact(forWeightBits: 8) ? 8 : 7 }

    /// The fastest set this CPU supports.
    public static let detected: Int8InstructionSet =
        [.avx512VNNI, .avx2, .neon].first(where: \.isSupported) ?? .scalar

    /// The set the kernels use: `LUMEN_INT8_ISA` when this CPU supports it, else ``detected``.
    public static let active: Int8InstructionSet = {
        guard let name = ProcessInfo.processInfo.environment["LUMEN_INT8_ISA"],
              let requested = Int8InstructionSet(rawValue: name.lowercased()),
              requested.isSupported else { return detected }
        return requested
    }()

    /// The set to run `bits`-bit weights with: ``active`` when it is exact for them,
    /// else the scalar reference (8-bit weights on a CPU whose best is AVX2).
    public static func forWeightBits(_ bits: Int) -> Int8InstructionSet {
        active.isExact(forWeightBits: bits) ? active : .scalar
    }
}
