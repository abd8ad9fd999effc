// AVX-512F (Skylake-SP and later, Zen4): 32 registers of 16 floats; tiles of
// 6 channels x 48 pixels. The same template as AVX2, so it shares its tests' logic.
#if defined(__x86_64__)
#include <immintrin.h>

#define KERNEL_ATTR __attribute__((target("avx512f")))
#define FN(name) name##_avx512
#define V __m512
#define VLEN 16
#define NV 3
#define V_ZERO() _mm512_setzero_ps()
#define V_SET1(x) _mm512_set1_ps(x)
#define V_LOAD(p) _mm512_loadu_ps(p)
#define V_STORE(p, v) _mm512_storeu_ps(p, v)
#define V_BCAST(p) _mm512_set1_ps(*(p))
#define V_FMA(a, b, acc) _mm512_fmadd_ps(a, b, acc)
#define V_HSUM(v) _mm512_reduce_add_ps(v)
#include "conv_template.h"
#endif
