// Portable int8 fallback and the reference every other set is tested against:
// one pixel per "vector", its four bytes read as one int32.
#include <string.h>

#define QFN(name) name##_scalar
#define QATTR
#define QV unsigned int
#define QVLEN 1
#define QNV 8

static inline unsigned int load_quad(const unsigned char *p) {
    unsigned int v;
    memcpy(&v, p, 4);
    return v;
}

/// `acc` plus the four products of `x`'s unsigned bytes with `w`'s signed ones,
/// byte 0 with byte 0 and so on (the order of the bytes in memory).
static inline unsigned int dot_quad(unsigned int acc, unsigned int x, unsigned int w) {
    const unsigned char *xb = (const unsigned char *)&x;
    const signed char *wb = (const signed char *)&w;
    int sum = (int)acc;
    for (int i = 0; i < 4; i++) sum += xb[i] * wb[i];
    return (unsigned int)sum;
}

#define QV_ZERO() 0u
#define QV_LOAD(p) load_quad(p)
#define QV_BCAST(p) ((unsigned int)*(p))
#define QV_DOT(acc, x, w) dot_quad(acc, x, w)
#define QV_STORE(p, v) (*(p) = (int)(v))
#include "qconv_template.h"
