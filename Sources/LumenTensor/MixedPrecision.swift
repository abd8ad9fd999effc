import CLumenKernels

/// bfloat16 mixed precision for training: activations stored as bfloat16 and
/// convolution products of bfloat16 operands, accumulated in float32, with the
/// parameters (the master weights), their gradients and the optimiser in float32.
///
/// Inside ``withBFloat16Activations(_:)``:
/// - the results of recorded convolutions and matrix products by trained weights,
///   and of the ReLUs, poolings, resamplings and layout ops that follow them, are
///   kept for the backward pass as bfloat16 (from ``minimumStoredCount`` elements), half the
///   bytes; ops read them decoded, exactly. Element-wise arithmetic, the smooth
///   activations, reductions, batch norm and convolutions by fixed kernels (a
///   loss's windows) keep float32 results, as autocast runs losses in float32:
///   they take differences of nearby values, which need the digits;
/// - convolutions and transposed convolutions of activations round both operands
///   to bfloat16 first (``operands(_:_:)``), forward and backward. A product of two
///   bfloat16 numbers is exact in float32, so the float32 kernels then compute what
///   a bfloat16 dot-product instruction (VDPBF16PS) computes, and the sums stay
///   float32. Gradients are not rounded: it changed no result measurably.
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

    /// The operands a recorded convolution multiplies: `input` and `weight` as they
    /// are, or in this mode their values rounded to bfloat16 when `input` is an
    /// activation of the graph and `weight` a trained parameter. Two kinds keep
    /// float32 products, as autocast keeps losses in float32:
    /// - the fixed kernels of losses (SSIM's Gaussian windows, Zero-DCE's spatial
    ///   differences), whose windowed variances `E[x²] − E[x]²` cancel: bfloat16
    ///   there cost the gain U-Net's gradients 3 % (0.2 % without);
    /// - a convolution of the batch itself (a network's first layer), which costs
    ///   little as float32 and keeps the photo's levels exact.
    /// The backward rule multiplies the same operands; a rounded input copy is kept
    /// as bfloat16 for it.
    static func operands(_ input: Tensor, _ weight: Tensor) -> (input: Tensor, weight: Tensor) {
        guard isActive, input.isIntermediate, weight.requiresGradient else { return (input, weight) }
        var rounded = input
        if !input.storage.holdsBFloat16Values {
            rounded = input.roundedToBFloat16()
            rounded.storage.storeAsBFloat16()
        }
        return (rounded, weight.roundedToBFloat16())
    }
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
}
