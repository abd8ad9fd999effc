// Entry points: pick the kernel table for the requested instruction set and run it
// with denormals flushed (x86), plus the layout helpers the kernels rely on.
#include "kernels_internal.h"
#include <stdlib.h>
#include <string.h>
#include <math.h>

#if defined(__x86_64__)
#include <xmmintrin.h>
// FTZ (bit 15) and DAZ (bit 6): subnormal inputs and results cost 40-110x on x86.
#define FLUSH_DENORMALS_BEGIN const unsigned int saved_csr = _mm_getcsr(); _mm_setcsr(saved_csr | 0x8040u);
#define FLUSH_DENORMALS_END _mm_setcsr(saved_csr);
#else
#define FLUSH_DENORMALS_BEGIN
#define FLUSH_DENORMALS_END
#endif

int lumen_isa_supported(int isa) {
    switch (isa) {
    case LUMEN_ISA_SCALAR: return 1;
#if defined(__x86_64__)
    case LUMEN_ISA_AVX2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case LUMEN_ISA_AVX512: return __builtin_cpu_supports("avx512f");
#endif
#if defined(__aarch64__)
    case LUMEN_ISA_NEON: return 1;
#endif
    default: return 0;
    }
}

static const lumen_kernel_table *table(int isa) {
    switch (isa) {
#if defined(__x86_64__)
    case LUMEN_ISA_AVX2: return &lumen_kernels_avx2;
    case LUMEN_ISA_AVX512: return &lumen_kernels_avx512;
#endif
#if defined(__aarch64__)
    case LUMEN_ISA_NEON: return &lumen_kernels_neon;
#endif
    default: return &lumen_kernels_scalar;
    }
}

static long round_up(long value, long multiple) { return (value + multiple - 1) / multiple * multiple; }

long lumen_conv_padded_row_stride(int out_w, int kernel_w, int dilation_w) {
    return round_up(out_w, LUMEN_CONV_MAX_TILE) + (long)(kernel_w - 1) * dilation_w;
}

long lumen_conv_gradient_row_stride(int out_w) { return round_up(out_w, LUMEN_CONV_MAX_VECTOR); }

void lumen_pad_plane(const float *src, int h, int w, float *dst, int dst_h, long dst_stride, int top, int left) {
    // Source columns [x0, x1) land at dst columns [x0 + left, x1 + left).
    const long x0 = left < 0 ? -left : 0;
    const long x1 = w < dst_stride - left ? w : dst_stride - left;
    for (int y = 0; y < dst_h; y++) {
        float *row = dst + y * dst_stride;
        const int sy = y - top;
        if (sy < 0 || sy >= h || x1 <= x0) {
            memset(row, 0, sizeof(float) * dst_stride);
            continue;
        }
        memset(row, 0, sizeof(float) * (x0 + left));
        memcpy(row + x0 + left, src + (long)sy * w + x0, sizeof(float) * (x1 - x0));
        memset(row + x1 + left, 0, sizeof(float) * (dst_stride - x1 - left));
    }
}

long lumen_conv_packed_weight_count(int out_channels, int in_channels, int kernel_h, int kernel_w) {
    return (long)lumen_conv_block_count(out_channels) * LUMEN_CONV_BLOCK * in_channels * kernel_h * kernel_w;
}

void lumen_conv_pack_weights(const float *weights, int out_channels, int in_channels,
                             int kernel_h, int kernel_w, float *packed) {
    const long taps = (long)in_channels * kernel_h * kernel_w;
    for (int block = 0; block < lumen_conv_block_count(out_channels); block++) {
        int first, count;
        lumen_conv_block(out_channels, block, &first, &count);
        float *target = packed + block * LUMEN_CONV_BLOCK * taps;
        for (long t = 0; t < taps; t++) {
            for (int m = 0; m < LUMEN_CONV_BLOCK; m++) {
                const float value = m < count ? weights[(first + m) * taps + t] : 0.0f;
                target[t * LUMEN_CONV_BLOCK + m] = fpclassify(value) == FP_SUBNORMAL ? 0.0f : value;
            }
        }
    }
}

void lumen_conv_direct(int isa, const lumen_conv_shape *shape, const float *input,
                       const float *packed_weights, const float *bias, float *output,
                       int row_begin, int row_end) {
    const long segment = LUMEN_CONV_MAX_TILE + (long)(shape->kernel_w - 1) * shape->dilation_w;
    // The tile's input window (see copy_window in conv_template.h).
    float *scratch = malloc(sizeof(float) * shape->in_channels * shape->kernel_h * segment);
    FLUSH_DENORMALS_BEGIN
    table(isa)->conv_rows(shape, input, packed_weights, bias, output, row_begin, row_end, scratch);
    FLUSH_DENORMALS_END
    free(scratch);
}

void lumen_conv_depthwise(int isa, const lumen_conv_shape *shape, const float *input,
                          const float *weights, float bias, float *output, int row_begin, int row_end) {
    FLUSH_DENORMALS_BEGIN
    table(isa)->depthwise_rows(shape, input, weights, bias, output, row_begin, row_end);
    FLUSH_DENORMALS_END
}

void lumen_conv_weight_gradient(int isa, const lumen_conv_shape *shape, const float *input,
                                const float *gradient, long gradient_row_stride,
                                float *weight_gradient, int row_begin, int row_end) {
    FLUSH_DENORMALS_BEGIN
    table(isa)->weight_gradient(shape, input, gradient, gradient_row_stride, weight_gradient,
                                row_begin, row_end);
    FLUSH_DENORMALS_END
}
