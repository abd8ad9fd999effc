// Hot convolution kernels for LumenTensor, with run-time instruction-set dispatch.
//
// Every entry point takes an `isa` (one of LUMEN_ISA_*); the caller must pass one
// for which lumen_isa_supported() is true. Tensors are float32, row-major planes.
// The depthwise and weight-gradient kernels read a zero-padded copy of the input
// ("padded planes") whose rows are long enough for whole tiles, so their inner
// loops never test bounds; lumen_conv_direct pads each tile's window as it copies it.
#ifndef CLUMENKERNELS_H
#define CLUMENKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

enum {
    LUMEN_ISA_SCALAR = 0,
    LUMEN_ISA_AVX2 = 1,
    LUMEN_ISA_AVX512 = 2,
    LUMEN_ISA_NEON = 3,
};

/// Whether this CPU (and this build) can run the kernels for `isa`.
int lumen_isa_supported(int isa);

/// Geometry of one group of a stride-1 convolution.
typedef struct {
    int in_channels, out_channels;      // per group
    int kernel_h, kernel_w;
    int dilation_h, dilation_w;
    int out_h, out_w;
    long in_row_stride, in_plane_stride; // of the input planes
    long out_plane_stride;               // usually out_h * out_w
    // Only for lumen_conv_direct, which pads on the fly: the input plane size and
    // the zero padding above and left of it (negative values crop).
    int in_h, in_w, pad_top, pad_left;
} lumen_conv_shape;

/// Row stride that padded input planes of lumen_conv_depthwise and
/// lumen_conv_weight_gradient need so whole tiles can be read.
long lumen_conv_padded_row_stride(int out_w, int kernel_w, int dilation_w);

/// Row stride of a padded output-gradient plane for lumen_conv_weight_gradient.
long lumen_conv_gradient_row_stride(int out_w);

/// Copies a `h x w` plane into `dst` (`dst_h` rows of `dst_stride`), shifted by
/// (`top`, `left`) (negative values crop), zero everywhere else.
void lumen_pad_plane(const float *src, int h, int w,
                     float *dst, int dst_h, long dst_stride, int top, int left);

/// Number of floats lumen_conv_pack_weights writes.
long lumen_conv_packed_weight_count(int out_channels, int in_channels, int kernel_h, int kernel_w);

/// Packs weights `[out][in][kh][kw]` into blocks of output channels and flushes
/// subnormals to zero (they slow x86 arithmetic down 40-110x).
void lumen_conv_pack_weights(const float *weights, int out_channels, int in_channels,
                             int kernel_h, int kernel_w, float *packed);

/// Direct convolution of output rows `[row_begin, row_end)`:
/// `out[o][y][x] = bias[o] + sum(packed weights * input)`, reading the unpadded
/// input planes (`in_h x in_w`) and treating everything outside them as zero.
/// `bias` may be NULL.
void lumen_conv_direct(int isa, const lumen_conv_shape *shape, const float *input,
                       const float *packed_weights, const float *bias, float *output,
                       int row_begin, int row_end);

/// Depthwise convolution of one plane (in_channels = out_channels = 1 in `shape`),
/// output rows `[row_begin, row_end)`. `weights` is `[kh][kw]`.
void lumen_conv_depthwise(int isa, const lumen_conv_shape *shape, const float *input,
                          const float *weights, float bias, float *output,
                          int row_begin, int row_end);

/// Adds the weight gradient contributed by output rows `[row_begin, row_end)` to
/// `weight_gradient` (`[out][in][kh][kw]`). `gradient` holds the output gradient as
/// padded planes: `out_channels` planes of `out_h` rows of `gradient_row_stride`
/// floats (lumen_conv_gradient_row_stride), zero past `out_w`.
void lumen_conv_weight_gradient(int isa, const lumen_conv_shape *shape, const float *input,
                                const float *gradient, long gradient_row_stride,
                                float *weight_gradient, int row_begin, int row_end);

#ifdef __cplusplus
}
#endif

#endif
