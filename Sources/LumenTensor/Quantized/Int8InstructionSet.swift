import CLumenKernels
import Foundation

/// The instruction sets of the int8 convolution kernels.
///
/// Like ``InstructionSet``, every set is compiled in and ``active`` picks one at run
/// time; `LUMEN_INT8_ISA=scalar|avx2|avx512-vnni|neon` forces one the CPU supports.
public enum Int8InstructionSet: String, CaseIterable, Sendable {
    /// Portable C; the reference the others are tested against, byte for byte.
    case scalar
    /// AVX2 (VPMADDUBSW + VPMADDWD): exact for 7-bit weights or 7-bit activations.
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

    /// Whether this set computes convolutions exactly with weights of magnitude at
    /// most `maxWeight` on input bytes of at most `maxInput` (AVX2 adds pairs of
    /// products into saturating int16: `2 · maxInput · maxWeight` must fit).
    public func isExact(maxWeight: Int, maxInput: Int) -> Bool {
        lumen_qisa_exact(code, Int32(maxWeight), Int32(maxInput)) != 0
    }

    /// Every set this CPU can run, `scalar` first.
    public static var supported: [Int8InstructionSet] { allCases.filter(\.isSupported) }

    /// Whether ``active`` multiplies 8-bit weights by 8-bit activations exactly
    /// (VNNI, NEON): where it does not (AVX2), one of the two takes 7 bits.
    public static var takesEightBitPairs: Bool { active.isExact(maxWeight: 127, maxInput: 255) }

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

    /// The set to run a convolution with: ``active`` when it is exact for these
    /// magnitudes, else the scalar reference.
    public static func forConvolution(maxWeight: Int, maxInput: Int) -> Int8InstructionSet {
        active.isExact(maxWeight: maxWeight, maxInput: maxInput) ? active : .scalar
    }
}
