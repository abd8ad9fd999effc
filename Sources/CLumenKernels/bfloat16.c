// Conversions between float32 and bfloat16 (the upper half of a float32: same
// exponent range, 8 significant bits), for mixed-precision training. Rounding is
// to nearest, ties to even, as VCVTNEPS2BF16 and PyTorch's `.to(torch.bfloat16)`;
// NaNs stay NaNs (quieted), infinities stay infinite. Plain loops on integers,
// which the compiler vectorises for every target.
#include "CLumenKernels.h"
#include <stdint.h>
#include <string.h>

static inline uint16_t bf16_from_bits(uint32_t bits) {
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x0040u);  // NaN, quieted
    return (uint16_t)((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

void lumen_bf16_encode(const float *x, unsigned short *y, long n) {
    for (long i = 0; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, x + i, 4);
        y[i] = bf16_from_bits(bits);
    }
}

void lumen_bf16_decode(const unsigned short *x, float *y, long n) {
    for (long i = 0; i < n; i++) {
        uint32_t bits = (uint32_t)x[i] << 16;
        memcpy(y + i, &bits, 4);
    }
}

void lumen_bf16_round(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, x + i, 4);
        bits = (uint32_t)bf16_from_bits(bits) << 16;
        memcpy(y + i, &bits, 4);
    }
}
