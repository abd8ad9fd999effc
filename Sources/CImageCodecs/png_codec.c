#include "codec_support.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LUMEN_HOST_IS_LITTLE_ENDIAN 1
#else
#define LUMEN_HOST_IS_LITTLE_ENDIAN 0
#endif

// libpng calls this for every fatal error; its default prints and longjmps to a
// buffer we would not own, so copy the text for the caller and jump to ours.
static void on_png_error(png_structp png, png_const_charp text) {
    lumen_fail(png_get_error_ptr(png), LUMEN_CODEC_CORRUPT, "%s", text);
    png_longjmp(png, 1);
}

// Warnings (a wrong sRGB profile, a bad ancillary CRC) leave the pixels intact;
// the default handler would print them to stderr.
static void on_png_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

typedef struct {
    const uint8_t *data;
    size_t length;
    size_t offset;
} png_memory_reader;

static void read_from_memory(png_structp png, png_bytep destination, size_t count) {
    png_memory_reader *reader = png_get_io_ptr(png);
    if (count > reader->length - reader->offset) png_error(png, "unexpected end of file");
    memcpy(destination, reader->data + reader->offset, count);
    reader->offset += count;
}

static uint32_t read_big_endian_32(const uint8_t *bytes) {
    return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
}

// IHDR is always the first chunk. libpng rejects a zero width with the same
// message as any other bad header, so read the size here to report it as such.
static lumen_codec_status check_header(const uint8_t *data, size_t length, char *message) {
    if (length < 8 || png_sig_cmp(data, 0, 8) != 0) {
        return lumen_fail(message, LUMEN_CODEC_CORRUPT, "missing PNG signature");
    }
    if (length < 24 || memcmp(data + 12, "IHDR", 4) != 0) {
        return lumen_fail(message, LUMEN_CODEC_CORRUPT, "missing IHDR chunk");
    }
    return lumen_check_dimensions(read_big_endian_32(data + 16), read_big_endian_32(data + 20), message);
}

// Reads pixels once libpng's structures exist; every libpng failure longjmps
// back to `lumen_png_decode`, which frees what this allocated in `image`.
static void read_pixels(png_structp png, png_infop info, lumen_decoded_image *image) {
    png_read_info(png, info);
    int color_type = png_get_color_type(png, info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    // PNG stores 16-bit samples big-endian; hand them to Swift in host order.
    if (LUMEN_HOST_IS_LITTLE_ENDIAN) png_set_swap(png);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);

    image->width = (int)png_get_image_width(png, info);
    image->height = (int)png_get_image_height(png, info);
    image->channels = png_get_channels(png, info);
    image->bit_depth = png_get_bit_depth(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    if (row_bytes != (size_t)image->width * image->channels * (image->bit_depth / 8)) {
        png_error(png, "unexpected row layout after transforms");
    }
    image->pixels = malloc(row_bytes * image->height);
    if (image->pixels == NULL) png_error(png, "out of memory");
    // Row by row rather than png_read_image, so no row-pointer array has to
    // survive a longjmp. Each Adam7 pass fills in more pixels of the same rows.
    for (int pass = 0; pass < passes; pass++) {
        for (int y = 0; y < image->height; y++) png_read_row(png, (png_bytep)image->pixels + row_bytes * y, NULL);
    }
    // Reading up to IEND checks the CRCs after the pixel data, so a cut file fails.
    png_read_end(png, NULL);
}

lumen_codec_status lumen_png_decode(const uint8_t *data, size_t length, lumen_decoded_image *image) {
    memset(image, 0, sizeof *image);
    lumen_codec_status status = check_header(data, length, image->message);
    if (status != LUMEN_CODEC_OK) return status;

    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, image->message, on_png_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return lumen_fail(image->message, LUMEN_CODEC_OUT_OF_MEMORY, "out of memory");
    }
    png_memory_reader reader = {data, length, 0};
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        lumen_decoded_image_free(image);
        return LUMEN_CODEC_CORRUPT;
    }
    png_set_read_fn(png, &reader, read_from_memory);
    read_pixels(png, info, image);
    png_destroy_read_struct(&png, &info, NULL);
    return LUMEN_CODEC_OK;
}

typedef struct {
    lumen_encoded_buffer *output;
    size_t capacity;
} png_memory_writer;

static void write_to_memory(png_structp png, png_bytep bytes, size_t count) {
    png_memory_writer *writer = png_get_io_ptr(png);
    if (!lumen_buffer_append(writer->output, &writer->capacity, bytes, count)) png_error(png, "out of memory");
}

static void flush_memory(png_structp png) { (void)png; }

lumen_codec_status lumen_png_encode(const void *pixels, int width, int height, int channels,
                                    int bit_depth, lumen_encoded_buffer *output) {
    memset(output, 0, sizeof *output);
    static const int color_types[] = {PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                      PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
    if (channels < 1 || channels > 4 || (bit_depth != 8 && bit_depth != 16) || width < 1 || height < 1) {
        return lumen_fail(output->message, LUMEN_CODEC_UNSUPPORTED, "cannot encode %d x %d pixels, %d channels, %d-bit",
                          width, height, channels, bit_depth);
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, output->message, on_png_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        return lumen_fail(output->message, LUMEN_CODEC_OUT_OF_MEMORY, "out of memory");
    }
    png_memory_writer writer = {output, 0};
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        lumen_encoded_buffer_free(output);
        return LUMEN_CODEC_CORRUPT;
    }
    png_set_write_fn(png, &writer, write_to_memory, flush_memory);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, bit_depth, color_types[channels - 1],
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    if (LUMEN_HOST_IS_LITTLE_ENDIAN) png_set_swap(png);
    size_t row_bytes = (size_t)width * channels * (bit_depth / 8);
    for (int y = 0; y < height; y++) png_write_row(png, (png_const_bytep)pixels + row_bytes * y);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return LUMEN_CODEC_OK;
}
