// PNG, JPEG, TIFF, WebP and BMP codecs over memory buffers, for LumenIO.
//
// libpng, libjpeg and libtiff report fatal errors by calling exit(), longjmp-ing
// out of the caller or printing to stderr by default; every function here
// installs its own error handlers, so a failure always comes back as a status
// plus a message. The BMP reader is Lumen's own.
#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Outcome of a codec call; anything but `LUMEN_CODEC_OK` comes with a message.
typedef enum {
    LUMEN_CODEC_OK = 0,
    /// The data is truncated or corrupt; the message holds the library's text.
    LUMEN_CODEC_CORRUPT,
    /// Width or height is zero.
    LUMEN_CODEC_ZERO_SIZE,
    /// More pixels than the decoding limit (`lumen_codec_max_pixels`).
    LUMEN_CODEC_TOO_LARGE,
    /// A valid file this library does not handle (animated WebP, bad encode arguments).
    LUMEN_CODEC_UNSUPPORTED,
    LUMEN_CODEC_OUT_OF_MEMORY,
} lumen_codec_status;

/// Largest image, in pixels, that a decoder ever allocates (2^28, about 268 megapixels).
#define LUMEN_CODEC_MAX_PIXELS (1ULL << 28)

/// Sets the decoding limit of every decoder in the process, in pixels: images above
/// it are `LUMEN_CODEC_TOO_LARGE`, refused before their pixels are allocated.
/// Values are clamped to 1...`LUMEN_CODEC_MAX_PIXELS`, which is also the default.
void lumen_codec_set_max_pixels(uint64_t pixels);

/// The decoding limit, in pixels.
uint64_t lumen_codec_max_pixels(void);

/// Length of the message buffers, terminating NUL included.
#define LUMEN_CODEC_MESSAGE_LENGTH 256

/// A decoded image. Free with `lumen_decoded_image_free`, also after a failure.
typedef struct {
    int width;
    int height;
    /// 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA.
    int channels;
    /// 8 (one byte per sample) or 16 (`uint16_t` in host byte order).
    int bit_depth;
    /// Interleaved samples, rows top to bottom, `width * channels` per row, no padding.
    void *pixels;
    /// Payload of the first JPEG APP1 "Exif" segment (starting at "Exif\0\0"), or NULL.
    uint8_t *exif;
    size_t exif_length;
    /// A TIFF's Orientation tag (1 to 8, the same values as EXIF's), or 0; the pixels are in stored order.
    int orientation;
    char message[LUMEN_CODEC_MESSAGE_LENGTH];
} lumen_decoded_image;

/// An encoded file in memory. Free with `lumen_encoded_buffer_free`, also after a failure.
typedef struct {
    uint8_t *bytes;
    size_t length;
    char message[LUMEN_CODEC_MESSAGE_LENGTH];
} lumen_encoded_buffer;

/// Decodes a PNG of any colour type and bit depth to 8- or 16-bit gray, gray + alpha,
/// RGB or RGBA; palettes are expanded and tRNS becomes an alpha channel.
lumen_codec_status lumen_png_decode(const uint8_t *data, size_t length, lumen_decoded_image *image);

/// Decodes a baseline or progressive JPEG to 8-bit gray or RGB and keeps its EXIF
/// segment; CMYK and YCCK files are converted to RGB (Adobe's inverted CMYK when an
/// APP14 "Adobe" marker is present). Data-losing warnings (truncation, corrupt
/// entropy data) are failures.
lumen_codec_status lumen_jpeg_decode(const uint8_t *data, size_t length, lumen_decoded_image *image);

/// Decodes the first page of a TIFF with any compression libtiff has: 1- to 16-bit
/// gray, gray + alpha, RGB, RGBA and palette, contiguous or planar, come back
/// exactly (8- or 16-bit); other layouts (tiles, YCbCr, CMYK, other depths) go
/// through libtiff's RGBA reader as 8-bit. Associated alpha is un-premultiplied.
lumen_codec_status lumen_tiff_decode(const uint8_t *data, size_t length, lumen_decoded_image *image);

/// Decodes a still lossy or lossless WebP to 8-bit RGB, or RGBA when it has alpha;
/// an animated WebP is `LUMEN_CODEC_UNSUPPORTED`.
lumen_codec_status lumen_webp_decode(const uint8_t *data, size_t length, lumen_decoded_image *image);

/// Decodes a Windows BMP (BITMAPINFOHEADER, V2 to V5 or OS/2 core header): 1-, 4- and
/// 8-bit palettes (also RLE4/RLE8), 16-, 24- and 32-bit (also BI_BITFIELDS), bottom-up
/// or top-down, to 8-bit RGB, or RGBA when the header has an alpha mask.
lumen_codec_status lumen_bmp_decode(const uint8_t *data, size_t length, lumen_decoded_image *image);

/// Releases what a decoder allocated; safe on a zeroed or already freed struct.
void lumen_decoded_image_free(lumen_decoded_image *image);

/// Encodes interleaved samples (1 to 4 channels; bit depth 8, or 16 in host byte order) as PNG.
lumen_codec_status lumen_png_encode(const void *pixels, int width, int height, int channels,
                                    int bit_depth, lumen_encoded_buffer *output);

/// Encodes 8-bit gray (1 channel) or RGB (3 channels) as a baseline JPEG; quality 1...100.
lumen_codec_status lumen_jpeg_encode(const uint8_t *pixels, int width, int height, int channels,
                                     int quality, lumen_encoded_buffer *output);

/// Encodes interleaved samples (1 to 4 channels; bit depth 8, or 16 in host byte order)
/// as a single-page, deflate-compressed TIFF; alpha is stored as unassociated.
lumen_codec_status lumen_tiff_encode(const void *pixels, int width, int height, int channels,
                                     int bit_depth, lumen_encoded_buffer *output);

/// Encodes 8-bit RGB (3 channels) or RGBA (4) as WebP: lossy at `quality` 1...99,
/// lossless (colours under transparent pixels kept exactly) at 100.
lumen_codec_status lumen_webp_encode(const uint8_t *pixels, int width, int height, int channels,
                                     int quality, lumen_encoded_buffer *output);

/// Encodes 8-bit RGB (3 channels) as a 24-bit BMP, or RGBA (4) as a 32-bit BITMAPV4HEADER
/// BMP with an alpha mask; rows bottom-up.
lumen_codec_status lumen_bmp_encode(const uint8_t *pixels, int width, int height, int channels,
                                    lumen_encoded_buffer *output);

/// Releases an encoder's output; safe on a zeroed or already freed struct.
void lumen_encoded_buffer_free(lumen_encoded_buffer *output);

#ifdef __cplusplus
}
#endif

#endif
