import CLumenKernels
import Foundation

/// The SIMD instruction sets the convolution kernels are written for.
///
/// One build runs everywhere: kernels for every set are compiled in and
/// ``active`` picks one at run time. Setting `LUMEN_ISA=scalar|avx2|avx512|neon`
/// forces a set, as long as this CPU supports it (so tests and benchmarks can run
/// the fallback on any machine); otherwise ``detected`` is used.
public enum InstructionSet: String, CaseIterable, Sendable {
    /// Portable C; the reference every faster set is tested against.
    case scalar
    /// AVX2 with FMA (x86-64 since Haswell / Zen).
    case avx2
    /// AVX-512 Foundation (x86-64 server cores, Zen 4).
    case avx512
    /// Advanced SIMD (every aarch64 CPU).
    case neon

    var code: Int32 {
        switch self {
        case .scalar: Int32(LUMEN_ISA_SCALAR)
        case .avx2: Int32(LUMEN_ISA_AVX2)
        case .avx512: Int32(LUMEN_ISA_AVX512)
        case .neon: Int32(LUMEN_ISA_NEON)
        }
    }

    /// Whether this CPU can run the kernels for this set.
    public var isSupported: Bool { lumen_isa_supported(code) != 0 }

    /// Every set this CPU can run, `scalar` first.
    public static var supported: [InstructionSet] { allCases.filter(\.isSupported) }

    /// The fastest set this CPU supports.
    public static let detected: InstructionSet =
        [.avx512, .avx2, .neon].first(where: \.isSupported) ?? .scalar

    /// The set the kernels use: `LUMEN_ISA` when this CPU supports it, else ``detected``.
    public static let active: InstructionSet = {
        guard let name = ProcessInfo.processInfo.environment["LUMEN_ISA"],
              let requested = InstructionSet(rawValue: name.lowercased()),
              requested.isSupported else { return detected }
        return requested
    }()
}
