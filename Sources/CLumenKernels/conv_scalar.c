// Portable fallback: plain C with no target attribute (the compiler may still use
// the baseline vector unit, e.g. SSE2).
#define FN(name) name##_scalar
#define KERNEL_ATTR
#define V float
#define VLEN 1
#define NV 4
#define V_ZERO() 0.0f
#define V_SET1(x) (x)
#define V_LOAD(p) (*(p))
#define V_STORE(p, v) (*(p) = (v))
#define V_BCAST(p) (*(p))
#define V_FMA(a, b, acc) ((acc) + (a) * (b))
#define V_HSUM(v) (v)
#include "conv_template.h"
