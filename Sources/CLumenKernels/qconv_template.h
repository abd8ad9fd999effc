// int8 convolution kernels written once and instantiated per instruction set.
//
// The including file defines, before including this header:
//   QFN(name)    name with the instruction-set suffix
//   QATTR        the target attribute of every function (may be empty)
//   QV, QVLEN    the vector of int32 lanes and its lane count (one pixel per lane)
//   QNV          vectors per tile row: a tile is 4 output channels x QNV*QVLEN pixels
//   QV_ZERO(), QV_LOAD(p) (QVLEN pixels of 4 bytes), QV_BCAST(p) (one int32),
//   QV_DOT(acc, x, w) (acc + the dot product of each lane's 4 unsigned bytes of x
//   with the 4 signed bytes of w), QV_STORE(p, v) (lanes to int32s)
// A tile's four output channels are one output quad, so the epilogue writes whole
// 4-byte pixels. The accumulators go through memory to the epilogue, which is the
// same plain C for every set: the bytes cannot depend on the instruction set.
#include "kernels_internal.h"
#include <math.h>
#include <string.h>

// A pixel's byte m is channel m: built as (channel m) << 8m, stored little-endian.
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the int8 kernels assume a little-endian CPU"
#endif

#define QNR (QNV * QVLEN)
#define QINLINE static inline __attribute__((always_inline)) QATTR

/// Four output channels x QNR pixels: `in` is the window of the tile's first pixel.
/// `KW` is 3 (unrolled) or 0 to read the width from `kw`.
QINLINE void QFN(qconv_tile_body)(const int KW, int kw, int kh, int groups, long row_bytes, long group_bytes,
                                  const unsigned char *in, const int *w, int acc_out[4][QNR]) {
    const int width = KW ? KW : kw;
    QV acc[4][QNV];
    for (int m = 0; m < 4; m++)
        for (int v = 0; v < QNV; v++) acc[m][v] = QV_ZERO();
    for (int g = 0; g < groups; g++, in += group_bytes) {
        const unsigned char *row = in;
        for (int ky = 0; ky < kh; ky++, row += row_bytes) {
            for (int kx = 0; kx < width; kx++, w += 4) {
                const unsigned char *p = row + 4 * kx;
                QV x[QNV];
                for (int v = 0; v < QNV; v++) x[v] = QV_LOAD(p + 4 * v * QVLEN);
                for (int m = 0; m < 4; m++) {
                    const QV b = QV_BCAST(w + m);
                    for (int v = 0; v < QNV; v++) acc[m][v] = QV_DOT(acc[m][v], x[v], b);
                }
            }
        }
    }
    for (int m = 0; m < 4; m++)
        for (int v = 0; v < QNV; v++) QV_STORE(&acc_out[m][v * QVLEN], acc[m][v]);
}

static QATTR void QFN(qconv_tile)(int kw, int kh, int groups, long row_bytes, long group_bytes,
                                  const unsigned char *in, const int *w, int acc_out[4][QNR]) {
    if (kw == 3) QFN(qconv_tile_body)(3, 3, kh, groups, row_bytes, group_bytes, in, w, acc_out);
    else QFN(qconv_tile_body)(0, kw, kh, groups, row_bytes, group_bytes, in, w, acc_out);
}

/// The requantising epilogue of output quad `q` for `width` pixels of row `y` from
/// `x0`. Shaped for the vectoriser: each channel's bytes are computed along the row,
/// then four channels are interleaved into whole 4-byte pixels with shifts.
QINLINE void QFN(store_tile)(const lumen_qconv_shape *s, const lumen_qconv_epilogue *e, int q,
                             int acc[4][QNR], int y, int x0, int width,
                             unsigned char *out_bytes, float *out_floats) {
    if (out_floats) {
        for (int m = 0; m < 4 && 4 * q + m < s->out_channels; m++) {
            const int o = 4 * q + m;
            const int shift = e->acc_offset ? e->acc_offset[o] : 0;
            const float scale = e->multiplier[o], offset = e->offset[o];
            float *dst = out_floats + o * s->out_plane_stride + (long)y * s->out_row_stride + x0;
            for (int x = 0; x < width; x++) dst[x] = fmaf((float)(acc[m][x] + shift), scale, offset);
        }
        return;
    }
    unsigned int bytes[4][QNR];
    for (int m = 0; m < 4; m++) {
        const int o = 4 * q + m;
        const int shift = e->acc_offset ? e->acc_offset[o] : 0;
        const float scale = e->multiplier[o], offset = e->offset[o], low = e->low, high = e->high;
        for (int x = 0; x < QNR; x++) {
            const float v = fminf(fmaxf(fmaf((float)(acc[m][x] + shift), scale, offset), low), high);
            bytes[m][x] = (unsigned int)(int)nearbyintf(v);
        }
    }
    unsigned char *dst = out_bytes + 4 * (q * s->out_plane_stride + (long)y * s->out_row_stride + x0);
    for (int x = 0; x < width; x++) {
        const unsigned int pixel = bytes[0][x] | bytes[1][x] << 8 | bytes[2][x] << 16 | bytes[3][x] << 24;
        memcpy(dst + 4 * x, &pixel, 4);
    }
}

// Pixel tiles outside, output quads inside: every quad reads the tile's input
// window (groups x kernel rows x QNR + kw - 1 pixels) from L1.
static QATTR void QFN(qconv_rows)(const lumen_qconv_shape *s, const unsigned char *in, const signed char *packed,
                                  const lumen_qconv_epilogue *e, unsigned char *out_bytes, float *out_floats,
                                  int row_begin, int row_end) {
    const int quads = (s->out_channels + 3) / 4;
    const long quad_words = 4L * s->in_groups * s->kernel_h * s->kernel_w;
    const long row_bytes = 4 * s->in_row_stride, group_bytes = 4 * s->in_group_stride;
    int acc[4][QNR];
    for (int y = row_begin; y < row_end; y++) {
        for (int x0 = 0; x0 < s->out_w; x0 += QNR) {
            const int width = s->out_w - x0 < QNR ? s->out_w - x0 : QNR;
            const unsigned char *window = in + (long)y * row_bytes + 4L * x0;
            for (int q = 0; q < quads; q++) {
                const int *w = (const int *)packed + q * quad_words;
                QFN(qconv_tile)(s->kernel_w, s->kernel_h, s->in_groups, row_bytes, group_bytes, window, w, acc);
                QFN(store_tile)(s, e, q, acc, y, x0, width, out_bytes, out_floats);
            }
        }
    }
}

/// The widest depthwise kernel: 5x5.
#define QDW_MAX_TAPS 25

// Depthwise: each byte of a quad row is its own channel, so the products need no
// horizontal sums; plain loops over whole rows of bytes, which the compiler
// vectorises for the target, with each tap's four weights repeated along the row.
static QATTR void QFN(qdepthwise_rows)(const lumen_qconv_shape *s, const unsigned char *in,
                                       const signed char *weights, const lumen_qconv_epilogue *e,
                                       unsigned char *out, int row_begin, int row_end) {
    const int taps = s->kernel_h * s->kernel_w;
    signed char repeated[QDW_MAX_TAPS][4 * QNR];
    int sums[4 * QNR], acc[4][QNR];
    for (int g = 0; g < s->in_groups; g++) {
        for (int t = 0; t < taps; t++)
            for (int j = 0; j < 4 * QNR; j++) repeated[t][j] = weights[(g * taps + t) * 4 + (j & 3)];
        const unsigned char *plane = in + 4 * g * s->in_group_stride;
        for (int y = row_begin; y < row_end; y++) {
            for (int x0 = 0; x0 < s->out_w; x0 += QNR) {
                const int width = s->out_w - x0 < QNR ? s->out_w - x0 : QNR;
                for (int j = 0; j < 4 * QNR; j++) sums[j] = 0;
                for (int ky = 0; ky < s->kernel_h; ky++) {
                    for (int kx = 0; kx < s->kernel_w; kx++) {
                        const unsigned char *p = plane + 4 * ((long)(y + ky) * s->in_row_stride + x0 + kx);
                        const signed char *w = repeated[ky * s->kernel_w + kx];
                        for (int j = 0; j < 4 * QNR; j++) sums[j] += p[j] * w[j];
                    }
                }
                for (int j = 0; j < 4 * QNR; j++) acc[j & 3][j >> 2] = sums[j];
                QFN(store_tile)(s, e, g, acc, y, x0, width, out, 0);
            }
        }
    }
}

const lumen_qkernel_table QFN(lumen_qkernels) = {QFN(qconv_rows), QFN(qdepthwise_rows)};

#undef QNR
#undef QINLINE
