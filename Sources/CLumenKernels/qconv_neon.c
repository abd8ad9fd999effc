// NEON int8 (every aarch64 CPU): bytes widened to int16 (a product of an unsigned
// and a signed byte fits), multiplied, and the four channels of each pixel added
// pairwise into int32. Tiles of 4 channels x 16 pixels. (The dot-product extension's
// SDOT is signed x signed and needs the activations offset by 128; not used yet.)
#if defined(__aarch64__)
#include <arm_neon.h>

#define QFN(name) name##_neon
#define QATTR
#define QV int32x4_t
#define QVLEN 4
#define QNV 4

static inline __attribute__((always_inline)) int32x4_t dot_neon(int32x4_t acc, int32x4_t x, int32x4_t w) {
    const uint8x16_t bytes = vreinterpretq_u8_s32(x);
    const int16x8_t weights = vmovl_s8(vget_low_s8(vreinterpretq_s8_s32(w)));
    const int16x8_t low = vmulq_s16(vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(bytes))), weights);
    const int16x8_t high = vmulq_s16(vreinterpretq_s16_u16(vmovl_high_u8(bytes)), weights);
    return vaddq_s32(acc, vpaddq_s32(vpaddlq_s16(low), vpaddlq_s16(high)));
}

#define QV_ZERO() vdupq_n_s32(0)
#define QV_LOAD(p) vreinterpretq_s32_u8(vld1q_u8(p))
#define QV_BCAST(p) vdupq_n_s32(*(p))
#define QV_DOT(acc, x, w) dot_neon(acc, x, w)
#define QV_STORE(p, v) vst1q_s32(p, v)
#include "qconv_template.h"
#endif
