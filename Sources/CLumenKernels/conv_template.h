// Convolution kernels written once and instantiated per instruction set.
//
// The including file defines, before including this header:
//   FN(name)     name with the instruction-set suffix
//   KERNEL_ATTR  the target attribute of every function (may be empty)
//   V, VLEN      the vector type and its float count
//   NV           vectors per tile row: a tile is LUMEN_CONV_BLOCK channels x NV*VLEN pixels
//   V_ZERO(), V_SET1(x), V_LOAD(p), V_STORE(p, v), V_BCAST(p), V_FMA(a, b, acc), V_HSUM(v)
// Register blocking: LUMEN_CONV_BLOCK x NV accumulators, NV input vectors and one
// broadcast weight must fit the register file with room to spare (AVX2: 6 x 2 + 2 + 1
// = 15 of 16); at exactly 16, clang shuffles and spills accumulators in the hot loop.
// Accumulation order is fixed (channel, ky, kx), so results never depend on how
// callers split rows among threads.
#include "kernels_internal.h"

#define NR (NV * VLEN)
#define INLINE static inline __attribute__((always_inline)) KERNEL_ATTR

/// One tile: `MR` output channels x NR pixels of one output row. The input window
/// is `channels` planes `plane_stride` apart, each of `kh` rows `row_stride` apart.
/// `KW` is the kernel width when it is 3 (the common case, fully unrolled) or 0 to
/// read it from `kw`.
INLINE void FN(conv_tile_body)(const int MR, const int KW, int kw, const lumen_conv_window *window,
                               const float *in, const float *w, const float *bias, float *out, long out_stride) {
    const int width = KW ? KW : kw;
    const long dx = window->column_step;
    V acc[LUMEN_CONV_BLOCK][NV];
    for (int m = 0; m < MR; m++) {
        const V start = bias ? V_SET1(bias[m]) : V_ZERO();
        for (int v = 0; v < NV; v++) acc[m][v] = start;
    }
    for (int c = 0; c < window->channels; c++, in += window->plane_stride) {
        const float *row = in;
        for (int ky = 0; ky < window->kernel_h; ky++, row += window->row_stride) {
            for (int kx = 0; kx < width; kx++, w += LUMEN_CONV_BLOCK) {
                const float *p = row + kx * dx;
                V x[NV];
                for (int v = 0; v < NV; v++) x[v] = V_LOAD(p + v * VLEN);
                for (int m = 0; m < MR; m++) {
                    const V b = V_BCAST(w + m);
                    for (int v = 0; v < NV; v++) acc[m][v] = V_FMA(x[v], b, acc[m][v]);
                }
            }
        }
    }
    for (int m = 0; m < MR; m++)
        for (int v = 0; v < NV; v++) V_STORE(out + m * out_stride + v * VLEN, acc[m][v]);
}

#define TILE_CASE(mr) \
    case mr: \
        if (kw == 3) FN(conv_tile_body)(mr, 3, 3, window, in, w, bias, out, out_stride); \
        else FN(conv_tile_body)(mr, 0, kw, window, in, w, bias, out, out_stride); \
        break;

static KERNEL_ATTR void FN(conv_tile)(int mr, int kw, const lumen_conv_window *window, const float *in,
                                      const float *w, const float *bias, float *out, long out_stride) {
    switch (mr) {
    TILE_CASE(6) TILE_CASE(5) TILE_CASE(4) TILE_CASE(3) TILE_CASE(2) TILE_CASE(1)
    default: break;
    }
}

#undef TILE_CASE

/// Prefetches, two tiles ahead, the cache lines a row of the input window reaches
/// next: with one stream per (channel, kernel row), far more than the hardware
/// prefetchers track, every tile would otherwise wait on L2 and L3 misses.
#define PREFETCH_ROW(source, segment) __builtin_prefetch((source) + 2 * NR + (segment))

/// Copies the input window of the tile at (`y`, `x0`) (channels x kernel rows x
/// `segment` columns) into `window`, writing zeros where it hangs over the padding.
static inline __attribute__((always_inline)) KERNEL_ATTR
void FN(copy_window)(const lumen_conv_shape *s, const float *in, int y, int x0, int segment, float *window) {
    const int left = x0 - s->pad_left;
    const int inside = left >= 0 && left + segment <= s->in_w;
    for (int c = 0; c < s->in_channels; c++) {
        for (int ky = 0; ky < s->kernel_h; ky++, window += segment) {
            const int iy = y + ky * s->dilation_h - s->pad_top;
            if (iy < 0 || iy >= s->in_h) {
                for (int x = 0; x < segment; x++) window[x] = 0;
                continue;
            }
            const float *source = in + c * s->in_plane_stride + (long)iy * s->in_row_stride + left;
            PREFETCH_ROW(source, segment);
            if (inside) {
                for (int v = 0; v < NV; v++) V_STORE(window + v * VLEN, V_LOAD(source + v * VLEN));
                for (int x = NR; x < segment; x++) window[x] = source[x];
            } else {
                for (int x = 0; x < segment; x++)
                    window[x] = left + x >= 0 && left + x < s->in_w ? source[x] : 0;
            }
        }
    }
}

// Pixel tiles outside, channel blocks inside. Each tile's input window is first
// copied into one contiguous scratch block (which also applies the zero padding):
// read in place, it spans a page per channel, and the scattered L1 and TLB misses
// cost more than the FMAs; every block of output channels then reads it from L1.
// With a single block (few output channels) the copy cannot pay off, so windows
// that need no padding are read in place.
static KERNEL_ATTR void FN(conv_rows)(const lumen_conv_shape *s, const float *in, const float *packed,
                                      const float *bias, float *out, int row_begin, int row_end,
                                      float *scratch) {
    const long block_size = (long)LUMEN_CONV_BLOCK * s->in_channels * s->kernel_h * s->kernel_w;
    const int segment = NR + (s->kernel_w - 1) * s->dilation_w;
    const int blocks = lumen_conv_block_count(s->out_channels);
    const lumen_conv_window copied = {s->in_channels, s->kernel_h, (long)s->kernel_h * segment, segment,
                                      s->dilation_w};
    const lumen_conv_window in_place = {s->in_channels, s->kernel_h, s->in_plane_stride,
                                        s->dilation_h * s->in_row_stride, s->dilation_w};
    float edge[LUMEN_CONV_BLOCK * NR];
    for (int y = row_begin; y < row_end; y++) {
        const int top = y - s->pad_top;
        const int rows_inside = top >= 0 && top + (s->kernel_h - 1) * s->dilation_h < s->in_h;
        for (int x0 = 0; x0 < s->out_w; x0 += NR) {
            const int width = s->out_w - x0 < NR ? s->out_w - x0 : NR;
            const int left = x0 - s->pad_left;
            const lumen_conv_window *window = &copied;
            const float *source = scratch;
            if (blocks == 1 && rows_inside && left >= 0 && left + segment <= s->in_w) {
                window = &in_place;
                source = in + (long)top * s->in_row_stride + left;
                for (int c = 0; c < s->in_channels; c++)
                    for (int ky = 0; ky < s->kernel_h; ky++)
                        PREFETCH_ROW(source + c * s->in_plane_stride + ky * in_place.row_stride, segment);
            } else {
                FN(copy_window)(s, in, y, x0, segment, scratch);
            }
            for (int block = 0; block < blocks; block++) {
                int o, mr;
                lumen_conv_block(s->out_channels, block, &o, &mr);
                float *dst = out + o * s->out_plane_stride + (long)y * s->out_w + x0;
                const float *w = packed + block * block_size;
                const float *b = bias ? bias + o : 0;
                if (width == NR) {
                    FN(conv_tile)(mr, s->kernel_w, window, source, w, b, dst, s->out_plane_stride);
                    continue;
                }
                FN(conv_tile)(mr, s->kernel_w, window, source, w, b, edge, NR);
                for (int m = 0; m < mr; m++)
                    for (int x = 0; x < width; x++) dst[m * s->out_plane_stride + x] = edge[m * NR + x];
            }
        }
    }
}

static KERNEL_ATTR void FN(depthwise_rows)(const lumen_conv_shape *s, const float *in, const float *w,
                                           float bias, float *out, int row_begin, int row_end) {
    const long dy = (long)s->dilation_h * s->in_row_stride, dx = s->dilation_w;
    float edge[NR];
    for (int y = row_begin; y < row_end; y++) {
        for (int x0 = 0; x0 < s->out_w; x0 += NR) {
            V acc[NV];
            for (int v = 0; v < NV; v++) acc[v] = V_SET1(bias);
            const float *tile = in + y * s->in_row_stride + x0;
            for (int ky = 0; ky < s->kernel_h; ky++) {
                for (int kx = 0; kx < s->kernel_w; kx++) {
                    const V b = V_SET1(w[ky * s->kernel_w + kx]);
                    const float *p = tile + ky * dy + kx * dx;
                    for (int v = 0; v < NV; v++) acc[v] = V_FMA(V_LOAD(p + v * VLEN), b, acc[v]);
                }
            }
            float *dst = out + (long)y * s->out_w + x0;
            const int width = s->out_w - x0 < NR ? s->out_w - x0 : NR;
            float *target = width == NR ? dst : edge;
            for (int v = 0; v < NV; v++) V_STORE(target + v * VLEN, acc[v]);
            if (width < NR)
                for (int x = 0; x < width; x++) dst[x] = edge[x];
        }
    }
}

/// Output channels per register block of the weight-gradient kernel: 4 x 3
/// accumulators + 3 inputs + 1 gradient vector.
#define WG_BLOCK 4

/// `MR` output channels x `KX` kernel columns of one (input channel, kernel row):
/// per vector of pixels, MR gradient loads and KX input loads feed MR x KX FMAs.
INLINE void FN(weight_gradient_body)(const int MR, const int KX, const float *g, long g_plane,
                                     long g_row, const float *x, long x_row, long dx, int rows,
                                     int vectors, float *dw, long dw_stride) {
    V acc[WG_BLOCK][3];
    for (int m = 0; m < MR; m++)
        for (int k = 0; k < KX; k++) acc[m][k] = V_ZERO();
    for (int r = 0; r < rows; r++) {
        const float *gr = g + r * g_row, *xr = x + r * x_row;
        for (int i = 0; i < vectors; i++) {
            V xv[3];
            for (int k = 0; k < KX; k++) xv[k] = V_LOAD(xr + i * VLEN + k * dx);
            for (int m = 0; m < MR; m++) {
                const V gv = V_LOAD(gr + m * g_plane + i * VLEN);
                for (int k = 0; k < KX; k++) acc[m][k] = V_FMA(gv, xv[k], acc[m][k]);
            }
        }
    }
    for (int m = 0; m < MR; m++)
        for (int k = 0; k < KX; k++) dw[m * dw_stride + k] += V_HSUM(acc[m][k]);
}

#define WG_CASE(mr, kx) \
    case (mr) * 4 + (kx): \
        FN(weight_gradient_body)(mr, kx, g, g_plane, g_row, x, x_row, dx, rows, vectors, dw, dw_stride); \
        break;

static KERNEL_ATTR void FN(weight_gradient_tile)(int mr, int kx, const float *g, long g_plane, long g_row,
                                                 const float *x, long x_row, long dx, int rows,
                                                 int vectors, float *dw, long dw_stride) {
    switch (mr * 4 + kx) {
    WG_CASE(4, 3) WG_CASE(4, 2) WG_CASE(4, 1)
    WG_CASE(3, 3) WG_CASE(3, 2) WG_CASE(3, 1)
    WG_CASE(2, 3) WG_CASE(2, 2) WG_CASE(2, 1)
    WG_CASE(1, 3) WG_CASE(1, 2) WG_CASE(1, 1)
    default: break;
    }
}

#undef WG_CASE

// The caller's row range is a small chunk, so the chunk's gradient rows for every
// output channel stay in L2 while all (channel, ky, kx) tiles reread them.
static KERNEL_ATTR void FN(weight_gradient)(const lumen_conv_shape *s, const float *in, const float *grad,
                                            long g_row, float *dw, int row_begin, int row_end) {
    const long g_plane = (long)s->out_h * g_row;
    const long dw_stride = (long)s->in_channels * s->kernel_h * s->kernel_w;
    const int rows = row_end - row_begin, vectors = (int)(g_row / VLEN);
    for (int c = 0; c < s->in_channels; c++) {
        for (int ky = 0; ky < s->kernel_h; ky++) {
            const float *x_row0 = in + c * s->in_plane_stride
                                  + (long)(row_begin + ky * s->dilation_h) * s->in_row_stride;
            for (int kx = 0; kx < s->kernel_w; kx += 3) {
                const int kn = s->kernel_w - kx < 3 ? s->kernel_w - kx : 3;
                for (int o = 0; o < s->out_channels; o += WG_BLOCK) {
                    const int mr = s->out_channels - o < WG_BLOCK ? s->out_channels - o : WG_BLOCK;
                    FN(weight_gradient_tile)(mr, kn, grad + o * g_plane + row_begin * g_row, g_plane, g_row,
                                             x_row0 + (long)kx * s->dilation_w, s->in_row_stride,
                                             s->dilation_w, rows, vectors,
                                             dw + o * dw_stride + (c * s->kernel_h + ky) * s->kernel_w + kx,
                                             dw_stride);
                }
            }
        }
    }
}

const lumen_kernel_table FN(lumen_kernels) = {
    FN(conv_rows), FN(depthwise_rows), FN(weight_gradient),
};

#undef NR
#undef PREFETCH_ROW
#undef WG_BLOCK
#undef INLINE
