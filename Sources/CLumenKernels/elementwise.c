// Vectorisable tanh and sigmoid: the exponential as a Cephes-style polynomial
// (relative error about 1e-7), written as plain loops that the compiler vectorises
// for each instruction set; libm's scalar tanhf was a sixth of Zero-DCE's time.
#include "CLumenKernels.h"
#include <math.h>
#include <string.h>

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/// e^x for x in [-87, 88]: x = n ln 2 + r with |r| <= ln 2 / 2, e^r by a degree-7 polynomial.
ALWAYS_INLINE float exp_bounded(float x) {
    const float n = nearbyintf(x * 1.44269504088896341f);
    const float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    const int bits = ((int)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/// tanh: the odd Taylor series to x^17 below |x| = 0.55 (error below 1e-8 there),
/// `(1 − e^−2|x|) / (1 + e^−2|x|)` above, where nothing cancels. NaN stays NaN.
ALWAYS_INLINE float tanh_one(float x) {
    const float a = fabsf(x);
    const float e = exp_bounded(fmaxf(-2.0f * a, -87.0f));
    const float large = copysignf((1.0f - e) / (1.0f + e), x);
    const float s = x * x;
    float p = 6404582.0f / 10854718875.0f;
    p = p * s - 929569.0f / 638512875.0f;
    p = p * s + 21844.0f / 6081075.0f;
    p = p * s - 1382.0f / 155925.0f;
    p = p * s + 62.0f / 2835.0f;
    p = p * s - 17.0f / 315.0f;
    p = p * s + 2.0f / 15.0f;
    p = p * s - 1.0f / 3.0f;
    const float small = x + x * s * p;
    const float value = a < 0.55f ? small : large;
    return x != x ? x : value;
}

/// 1 / (1 + e^−x); 0 below x = −88 (the exact value is below 6e-39 there), and the
/// exponent clamped above x = 87, where the result is 1 in float.
ALWAYS_INLINE float sigmoid_one(float x) {
    const float value = 1.0f / (1.0f + exp_bounded(fminf(fmaxf(-x, -87.0f), 88.0f)));
    return x != x ? x : x < -88.0f ? 0.0f : value;
}

// Blocks go through a local copy, so the loops vectorise even in place (x == y),
// where the compiler's overlap check would otherwise pick its scalar loop.
#define BLOCK 64
#define DEFINE_MAP(function, suffix, attributes) \
    static attributes void function##_##suffix(const float *x, float *y, long n) { \
        float block[BLOCK]; \
        for (long i = 0; i < n; i += BLOCK) { \
            const long count = n - i < BLOCK ? n - i : BLOCK; \
            memcpy(block, x + i, sizeof(float) * count); \
            for (long j = 0; j < count; j++) y[i + j] = function##_one(block[j]); \
        } \
    }

/// `function` for every instruction set, and its entry point `lumen_FUNCTION(isa, x, y, n)`.
#if defined(__x86_64__)
#define DEFINE_ELEMENTWISE(function) \
    DEFINE_MAP(function, scalar, ) \
    DEFINE_MAP(function, avx2, __attribute__((target("avx2,fma")))) \
    DEFINE_MAP(function, avx512, __attribute__((target("avx512f")))) \
    void lumen_##function(int isa, const float *x, float *y, long n) { \
        if (isa == LUMEN_ISA_AVX2) function##_avx2(x, y, n); \
        else if (isa == LUMEN_ISA_AVX512) function##_avx512(x, y, n); \
        else function##_scalar(x, y, n); \
    }
#elif defined(__aarch64__)
#define DEFINE_ELEMENTWISE(function) \
    DEFINE_MAP(function, scalar, ) \
    DEFINE_MAP(function, neon, ) \
    void lumen_##function(int isa, const float *x, float *y, long n) { \
        if (isa == LUMEN_ISA_NEON) function##_neon(x, y, n); \
        else function##_scalar(x, y, n); \
    }
#else
#define DEFINE_ELEMENTWISE(function) \
    DEFINE_MAP(function, scalar, ) \
    void lumen_##function(int isa, const float *x, float *y, long n) { (void)isa; function##_scalar(x, y, n); }
#endif

DEFINE_ELEMENTWISE(tanh)
DEFINE_ELEMENTWISE(sigmoid)
