import CLumenKernels

/// bfloat16 mixed precision for training: activations stored as bfloat16 and
/// convolution products of bfloat16 operands, accumulated in float32, with the
/// parameters (the master weights), their gradients and the optimiser in float32.
///
/// Inside ``withBFloat16Activations(_:)``:
/// - every tensor the autograd graph keeps for the backward pass (the output and
///   the inputs of each recorded op, from ``minimumStoredCount`` elements) is
///   held as bfloat16, half the bytes; ops read it decoded, exactly;
/// - convolutions (and transposed convolutions and their gradients) round both
///   operands to bfloat16 first. A product of two bfloat16 numbers is exact in
///   float32, so the float32 kernels then compute what a bfloat16 dot-product
///   instruction (VDPBF16PS) computes, and the sums stay float32.
///
/// The rounding of a weight for its products is transparent to its gradient (a
/// straight-through cast, as autocast's), so second derivatives through a
/// convolution's weight are not available in this mode.
public enum MixedPrecision {
    @TaskLocal static var storesBFloat16 = false

    /// Tensors smaller than this stay float32 (losses, statistics, biases): they
    /// cost no memory worth saving, and scalars read back for logs keep their digits.
    public static let minimumStoredCount = 4096

    /// Whether operations executed now store activations as bfloat16.
    public static var isActive: Bool { storesBFloat16 }
}

/// Runs `body` (a training step: forward and backward) in bfloat16 mixed precision
/// (``MixedPrecision``).
public func withBFloat16Activations<R>(_ body: () throws -> R) rethrows -> R {
    try MixedPrecision.$storesBFloat16.withValue(true, operation: body)
}

extension Tensor {
    /// The values rounded to bfloat16 (nearest, ties to even), still as float32;
    /// outside the autograd graph.
    public func roundedToBFloat16() -> Tensor {
        Tensor(shape: shape) { lumen_bf16_round(storage.pointer, $0.baseAddress!, scalarCount) }
    }

    /// The operand a convolution multiplies in the current mode: `self`, or under
    /// bfloat16 mixed precision its values rounded to bfloat16 (`self` again when
    /// they are bfloat16 numbers already, as stored activations are).
    func forProducts() -> Tensor {
        guard MixedPrecision.isActive, !storage.holdsBFloat16Values else { return self }
        return roundedToBFloat16()
    }
}
