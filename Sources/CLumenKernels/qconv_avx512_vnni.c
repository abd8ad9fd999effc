// AVX-512 VNNI int8 (Ice Lake, Sapphire Rapids, Zen 4): VPDPBUSD adds four
// unsigned x signed byte products into each int32 lane in one instruction, without
// saturation. Tiles of 4 channels x 64 pixels: 16 accumulators, and each broadcast
// weight feeds four vectors (with two, the broadcasts were the hot loop's bottleneck).
#if defined(__x86_64__)
#include <immintrin.h>

#define QFN(name) name##_avx512_vnni
#define QATTR __attribute__((target("avx512f,avx512bw,avx512vnni,fma")))
#define QV __m512i
#define QVLEN 16
#define QNV 4
#define QV_ZERO() _mm512_setzero_si512()
#define QV_LOAD(p) _mm512_loadu_si512((const void *)(p))
#define QV_BCAST(p) _mm512_set1_epi32(*(p))
#define QV_DOT(acc, x, w) _mm512_dpbusd_epi32(acc, x, w)
#define QV_STORE(p, v) _mm512_storeu_si512((void *)(p), v)
#include "qconv_template.h"
#endif
