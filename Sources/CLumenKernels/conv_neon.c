// NEON (every aarch64 CPU): 32 registers of 4 floats; tiles of 6 channels x 16 pixels.
#if defined(__aarch64__)
#include <arm_neon.h>

#define KERNEL_ATTR
#define FN(name) name##_neon
#define V float32x4_t
#define VLEN 4
#define NV 4
#define V_ZERO() vdupq_n_f32(0)
#define V_SET1(x) vdupq_n_f32(x)
#define V_LOAD(p) vld1q_f32(p)
#define V_STORE(p, v) vst1q_f32(p, v)
#define V_BCAST(p) vld1q_dup_f32(p)
#define V_FMA(a, b, acc) vfmaq_f32(acc, a, b)
#define V_HSUM(v) vaddvq_f32(v)
#include "conv_template.h"
#endif
