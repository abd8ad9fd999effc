// int8 entry points: pick the kernel table for the requested set, and pack weights.
#include "kernels_internal.h"

int lumen_qisa_supported(int isa) {
    switch (isa) {
    case LUMEN_QISA_SCALAR: return 1;
#if defined(__x86_64__)
    case LUMEN_QISA_AVX2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case LUMEN_QISA_AVX512_VNNI:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("fma");
#endif
#if defined(__aarch64__)
    case LUMEN_QISA_NEON: return 1;
#endif
    default: return 0;
    }
}

int lumen_qisa_exact(int isa, int max_weight, int max_input) {
    return isa != LUMEN_QISA_AVX2 || 2L * max_weight * max_input <= 32767;
}

static const lumen_qkernel_table *qtable(int isa) {
    switch (isa) {
#if defined(__x86_64__)
    case LUMEN_QISA_AVX2: return &lumen_qkernels_avx2;
    case LUMEN_QISA_AVX512_VNNI: return &lumen_qkernels_avx512_vnni;
#endif
#if defined(__aarch64__)
    case LUMEN_QISA_NEON: return &lumen_qkernels_neon;
#endif
    default: return &lumen_qkernels_scalar;
    }
}

long lumen_qconv_packed_weight_count(int out_channels, int in_channels, int kernel_h, int kernel_w) {
    return 16L * ((out_channels + 3) / 4) * ((in_channels + 3) / 4) * kernel_h * kernel_w;
}

void lumen_qconv_pack_weights(const signed char *weights, int out_channels, int in_channels,
                              int kernel_h, int kernel_w, signed char *packed) {
    const int taps = kernel_h * kernel_w, in_quads = (in_channels + 3) / 4;
    for (int q = 0; q < (out_channels + 3) / 4; q++)
        for (int g = 0; g < in_quads; g++)
            for (int t = 0; t < taps; t++)
                for (int m = 0; m < 4; m++)
                    for (int i = 0; i < 4; i++) {
                        const int o = 4 * q + m, c = 4 * g + i;
                        *packed++ = o < out_channels && c < in_channels ? weights[((long)o * in_channels + c) * taps + t] : 0;
                    }
}

void lumen_qconv(int isa, const lumen_qconv_shape *shape, const unsigned char *input,
                 const signed char *packed_weights, const lumen_qconv_epilogue *epilogue,
                 unsigned char *output_bytes, float *output_floats, int row_begin, int row_end) {
    qtable(isa)->conv_rows(shape, input, packed_weights, epilogue, output_bytes, output_floats, row_begin, row_end);
}

void lumen_qconv_depthwise(int isa, const lumen_qconv_shape *shape, const unsigned char *input,
                           const signed char *weights, const lumen_qconv_epilogue *epilogue,
                           unsigned char *output, int row_begin, int row_end) {
    qtable(isa)->depthwise_rows(shape, input, weights, epilogue, output, row_begin, row_end);
}
