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


/// `y[i] = tanh(x[i])` for `n` floats, within 2e-7 of the exact value (`x` and `y` may be equal).
void lumen_tanh(int isa, const float *x, float *y, long n);

/// `y[i] = 1 / (1 + exp(-x[i]))` for `n` floats, within 2e-7 of the exact value.
void lumen_sigmoid(int isa, const float *x, float *y, long n);

/// `y[i]` = `x[i]` rounded to bfloat16 (nearest, ties to even), `n` values.
void lumen_bf16_encode(const float *x, unsigned short *y, long n);

/// `y[i]` = the float32 value of bfloat16 `x[i]` (exact), `n` values.
void lumen_bf16_decode(const unsigned short *x, float *y, long n);

/// `y[i]` = `x[i]` rounded to bfloat16 and back to float32 (`x` and `y` may be equal).
void lumen_bf16_round(const float *x, float *y, long n);

// ---------------------------------------------------------------------------
// int8 convolutions.
//
// Activations are unsigned 8-bit "quad planes": channels in groups of four, each
// group an array of pixels of four bytes (channels 4g ... 4g+3), so one 32-bit
// lane holds four channels of one pixel and one dot-product instruction
// (VPMADDUBSW + VPMADDWD, VPDPBUSD) multiplies them with four weights. Inputs are
// read from buffers whose border (the convolution's padding) the caller has filled
// with the input's zero point, with at least LUMEN_QCONV_SLACK bytes readable past
// the last plane, so the kernels never test bounds. Weights are signed 8-bit,
// accumulated exactly in int32; the epilogue (in float, the same C code for every
// instruction set, so every set gives the same bytes) is
//   v = fmaf((float)(acc + acc_offset[o]), multiplier[o], offset[o])
// stored as float, or as the byte round_to_even(clamp(v, low, high)).

/// Bytes past the end of an input buffer the int8 kernels may read: a tile of up to
/// 64 pixels and a 5x5 kernel reach 4 x (64 + 4) bytes past the last row.
#define LUMEN_QCONV_SLACK 1024

/// Which int8 kernels: the float sets' names plus AVX-512 VNNI (VPDPBUSD).
enum {
    LUMEN_QISA_SCALAR = 0,
    LUMEN_QISA_AVX2 = 1,
    LUMEN_QISA_AVX512_VNNI = 2,
    LUMEN_QISA_NEON = 3,
};

/// Whether this CPU can run the int8 kernels for `isa`.
int lumen_qisa_supported(int isa);

/// Whether the int8 kernels for `isa` are exact for weights of magnitude at most
/// `max_weight` on input bytes of at most `max_input`. AVX2's VPMADDUBSW adds pairs
/// of products into saturating int16, so it needs `2 * max_input * max_weight <= 32767`:
/// 8-bit bytes with 7-bit weights (255 x 63), or 7-bit bytes with 8-bit weights
/// (127 x 127), not both at 8 bits. The other sets are always exact.
int lumen_qisa_exact(int isa, int max_weight, int max_input);

/// Geometry of a stride-1 int8 convolution over quad planes. Strides count pixels
/// (4 bytes) for byte buffers and floats for float output.
typedef struct {
    int in_groups;          // input channel quads
    int out_channels;       // output channels (the packed weights cover ceil(/4) quads)
    int kernel_h, kernel_w;
    int out_h, out_w;
    long in_row_stride, in_group_stride;   // pixels; `input` points at the window of output (0, 0)
    long out_row_stride, out_plane_stride; // pixels per quad row / plane, or floats per row / plane
} lumen_qconv_shape;

/// The epilogue's per-output-channel constants (`ceil(out_channels / 4) * 4` of each).
typedef struct {
    const int *acc_offset;    // may be NULL
    const float *multiplier;
    const float *offset;
    float low;                // bytes only: the clamp's lower end (the zero point for a fused ReLU)
    float high;               // bytes only: the clamp's upper end (255, or 127 for 7-bit activations)
} lumen_qconv_epilogue;

/// Number of bytes lumen_qconv_pack_weights writes.
long lumen_qconv_packed_weight_count(int out_channels, int in_channels, int kernel_h, int kernel_w);

/// Packs int8 weights `[out][in][kh][kw]` as the kernels read them: per output quad,
/// per input quad and kernel tap, four output channels x four input channels,
/// zero where a quad runs past the channels.
void lumen_qconv_pack_weights(const signed char *weights, int out_channels, int in_channels,
                              int kernel_h, int kernel_w, signed char *packed);

/// Output rows `[row_begin, row_end)` of an int8 convolution, written as quad planes
/// of bytes (`output_bytes`) or as float planes (`output_floats`); exactly one is non-NULL.
void lumen_qconv(int isa, const lumen_qconv_shape *shape, const unsigned char *input,
                 const signed char *packed_weights, const lumen_qconv_epilogue *epilogue,
                 unsigned char *output_bytes, float *output_floats, int row_begin, int row_end);

/// Output rows `[row_begin, row_end)` of a depthwise int8 convolution over quad planes
/// (`in_groups` quads in and out; `out_channels` is ignored). `weights` is
/// `[quad][kh][kw][4]`; the output is bytes.
void lumen_qconv_depthwise(int isa, const lumen_qconv_shape *shape, const unsigned char *input,
                           const signed char *weights, const lumen_qconv_epilogue *epilogue,
                           unsigned char *output, int row_begin, int row_end);

#ifdef __cplusplus
}
#endif

#endif
