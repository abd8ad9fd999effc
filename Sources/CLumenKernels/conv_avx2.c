// AVX2 + FMA (Haswell, Zen): 16 registers of 8 floats; tiles of 6 channels x 16 pixels.
#if defined(__x86_64__)
#include <immintrin.h>

#define KERNEL_ATTR __attribute__((target("avx2,fma")))

static inline __attribute__((always_inline)) KERNEL_ATTR float hsum_avx2(__m256 v) {
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
    sum = _mm_add_ss(sum, _mm_movehdup_ps(sum));
    return _mm_cvtss_f32(sum);
}

#define FN(name) name##_avx2
#define V __m256
#define VLEN 8
#define NV 2
#define V_ZERO() _mm256_setzero_ps()
#define V_SET1(x) _mm256_set1_ps(x)
#define V_LOAD(p) _mm256_loadu_ps(p)
#define V_STORE(p, v) _mm256_storeu_ps(p, v)
#define V_BCAST(p) _mm256_broadcast_ss(p)
#define V_FMA(a, b, acc) _mm256_fmadd_ps(a, b, acc)
#define V_HSUM(v) hsum_avx2(v)
#include "conv_template.h"
#endif
