// Private to CLumenKernels: the per-instruction-set kernel table.
#ifndef LUMEN_KERNELS_INTERNAL_H
#define LUMEN_KERNELS_INTERNAL_H

#include "CLumenKernels.h"

/// Output channels per register block of the forward kernels; weights are packed
/// in blocks of this many. Six channels x two vectors is the BLIS Haswell shape:
/// 12 accumulators + 2 inputs + 1 broadcast fit AVX2's 16 registers with one to spare.
#define LUMEN_CONV_BLOCK 6
/// The widest tile (pixels of one row) any instruction set computes at once.
#define LUMEN_CONV_MAX_TILE 48
/// Gradient rows are padded to a multiple of the widest vector.
#define LUMEN_CONV_MAX_VECTOR 16

/// Output channels are split into this many register blocks, as evenly as possible
/// (32 -> 6 6 5 5 5 5, not 6 6 6 6 6 2, whose 2-channel block would be load-bound).
static inline int lumen_conv_block_count(int out_channels) {
    return (out_channels + LUMEN_CONV_BLOCK - 1) / LUMEN_CONV_BLOCK;
}

/// The first output channel and channel count of register block `block`.
static inline void lumen_conv_block(int out_channels, int block, int *first, int *count) {
    const int blocks = lumen_conv_block_count(out_channels);
    const int base = out_channels / blocks, extra = out_channels % blocks;
    *first = block * base + (block < extra ? block : extra);
    *count = base + (block < extra);
}

/// Where a forward tile reads its input: `channels` planes `plane_stride` apart,
/// each `kernel_h` rows `row_stride` apart, kernel columns `column_step` apart.
typedef struct {
    int channels, kernel_h;
    long plane_stride, row_stride, column_step;
} lumen_conv_window;

typedef struct {
    void (*conv_rows)(const lumen_conv_shape *, const float *, const float *, const float *,
                      float *, int, int, float *);
    void (*depthwise_rows)(const lumen_conv_shape *, const float *, const float *, float,
                           float *, int, int);
    void (*weight_gradient)(const lumen_conv_shape *, const float *, const float *, long,
                            float *, int, int);
} lumen_kernel_table;

typedef struct {
    void (*conv_rows)(const lumen_qconv_shape *, const unsigned char *, const signed char *,
                      const lumen_qconv_epilogue *, unsigned char *, float *, int, int);
    void (*depthwise_rows)(const lumen_qconv_shape *, const unsigned char *, const signed char *,
                           const lumen_qconv_epilogue *, unsigned char *, int, int);
} lumen_qkernel_table;

extern const lumen_kernel_table lumen_kernels_scalar;
extern const lumen_qkernel_table lumen_qkernels_scalar;
#if defined(__x86_64__)
extern const lumen_kernel_table lumen_kernels_avx2;
extern const lumen_kernel_table lumen_kernels_avx512;
extern const lumen_qkernel_table lumen_qkernels_avx2;
extern const lumen_qkernel_table lumen_qkernels_avx512_vnni;
#endif
#if defined(__aarch64__)
extern const lumen_kernel_table lumen_kernels_neon;
extern const lumen_qkernel_table lumen_qkernels_neon;
#endif

#endif
