// AVX2 int8: VPMADDUBSW multiplies unsigned activation bytes by signed weight bytes
// and adds adjacent pairs into saturating int16, VPMADDWD by ones adds those pairs
// into int32: three instructions for 32 products, against one FMA for 8, hence
// the ~1.33x ceiling over float. Exact only while a pair fits int16 (7-bit weights
// or 7-bit activations: lumen_qisa_exact). Tiles of 4 channels x 16 pixels.
#if defined(__x86_64__)
#include <immintrin.h>

#define QFN(name) name##_avx2
#define QATTR __attribute__((target("avx2,fma")))
#define QV __m256i
#define QVLEN 8
#define QNV 2

static inline __attribute__((always_inline)) QATTR __m256i dot_avx2(__m256i acc, __m256i x, __m256i w) {
    const __m256i pairs = _mm256_maddubs_epi16(x, w);
    return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
}

#define QV_ZERO() _mm256_setzero_si256()
#define QV_LOAD(p) _mm256_loadu_si256((const __m256i *)(p))
#define QV_BCAST(p) _mm256_set1_epi32(*(p))
#define QV_DOT(acc, x, w) dot_avx2(acc, x, w)
#define QV_STORE(p, v) _mm256_storeu_si256((__m256i *)(p), v)
#include "qconv_template.h"
#endif
