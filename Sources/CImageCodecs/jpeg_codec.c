#include "codec_support.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

// libjpeg's default error_exit prints and calls exit(); this one copies the
// formatted text for the caller and jumps back to the codec function.
typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char *message;
} lumen_jpeg_error;

static void on_jpeg_error(j_common_ptr codec) {
    lumen_jpeg_error *error = (lumen_jpeg_error *)codec->err;
    char text[JMSG_LENGTH_MAX];
    codec->err->format_message(codec, text);
    lumen_fail(error->message, LUMEN_CODEC_CORRUPT, "%s", text);
    longjmp(error->jump, 1);
}

// libjpeg only warns when entropy data is cut short or damaged, then fills the
// rest with grey and carries on. Those warnings mean lost pixels, so they fail;
// the rest (unknown JFIF revision, stray bytes before a marker) are harmless.
static void on_jpeg_message(j_common_ptr codec, int level) {
    if (level >= 0) return;
    switch (codec->err->msg_code) {
    case JWRN_JPEG_EOF:
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:
    case JWRN_MUST_RESYNC:
    case JWRN_BOGUS_PROGRESSION:
    case JWRN_NOT_SEQUENTIAL:
        on_jpeg_error(codec);
        break;
    default:
        break;
    }
}

static void ignore_output(j_common_ptr codec) { (void)codec; }

static void install_error_handler(lumen_jpeg_error *error, char *message) {
    jpeg_std_error(&error->base);
    error->base.error_exit = on_jpeg_error;
    error->base.emit_message = on_jpeg_message;
    error->base.output_message = ignore_output;
    error->message = message;
}

// Keeps the first APP1 segment that is EXIF (XMP also lives in APP1).
static void copy_exif(j_decompress_ptr codec, lumen_decoded_image *image) {
    static const uint8_t prefix[6] = {'E', 'x', 'i', 'f', 0, 0};
    for (jpeg_saved_marker_ptr marker = codec->marker_list; marker != NULL; marker = marker->next) {
        if (marker->marker != JPEG_APP0 + 1 || marker->data_length < sizeof prefix) continue;
        if (memcmp(marker->data, prefix, sizeof prefix) != 0) continue;
        image->exif = malloc(marker->data_length);
        if (image->exif == NULL) ERREXIT(codec, JERR_OUT_OF_MEMORY);
        memcpy(image->exif, marker->data, marker->data_length);
        image->exif_length = marker->data_length;
        return;
    }
}

// CMYK samples of one row to RGB, R = (255 - C)(255 - K) / 255. Photoshop and
// libjpeg-based writers (Pillow among them) store CMYK inverted (0 is full ink)
// and mark such files with an APP14 "Adobe" segment; libjpeg does not undo that.
static void cmyk_row_to_rgb(const JSAMPLE *cmyk, JSAMPLE *rgb, JDIMENSION width, boolean inverted) {
    for (JDIMENSION x = 0; x < width; x++, cmyk += 4, rgb += 3) {
        unsigned k = inverted ? cmyk[3] : 255u - cmyk[3];
        for (int c = 0; c < 3; c++) {
            unsigned ink = inverted ? cmyk[c] : 255u - cmyk[c];
            rgb[c] = (JSAMPLE)((ink * k + 127) / 255);
        }
    }
}

// Everything after the header; failures longjmp back to `lumen_jpeg_decode`.
static void read_scanlines(j_decompress_ptr codec, lumen_decoded_image *image) {
    copy_exif(codec, image);
    jpeg_start_decompress(codec);
    boolean cmyk = codec->out_color_space == JCS_CMYK;
    image->width = (int)codec->output_width;
    image->height = (int)codec->output_height;
    image->channels = cmyk ? 3 : codec->output_components;
    image->bit_depth = 8;
    size_t row_bytes = (size_t)image->width * image->channels;
    image->pixels = malloc(row_bytes * image->height);
    if (image->pixels == NULL) ERREXIT(codec, JERR_OUT_OF_MEMORY);
    // Allocated from libjpeg's image pool, so jpeg_destroy_decompress frees it after a longjmp too.
    JSAMPARRAY cmyk_row = cmyk ? (*codec->mem->alloc_sarray)((j_common_ptr)codec, JPOOL_IMAGE,
                                                             codec->output_width * 4, 1)
                               : NULL;
    while (codec->output_scanline < codec->output_height) {
        JSAMPROW row = (JSAMPROW)image->pixels + row_bytes * codec->output_scanline;
        if (cmyk) {
            jpeg_read_scanlines(codec, cmyk_row, 1);
            cmyk_row_to_rgb(cmyk_row[0], row, codec->output_width, codec->saw_Adobe_marker);
        } else {
            jpeg_read_scanlines(codec, &row, 1);
        }
    }
    jpeg_finish_decompress(codec);
}

lumen_codec_status lumen_jpeg_decode(const uint8_t *data, size_t length, lumen_decoded_image *image) {
    memset(image, 0, sizeof *image);
    struct jpeg_decompress_struct codec;
    lumen_jpeg_error error;
    codec.err = &error.base;
    install_error_handler(&error, image->message);
    if (setjmp(error.jump)) {
        jpeg_destroy_decompress(&codec);
        lumen_decoded_image_free(image);
        return LUMEN_CODEC_CORRUPT;
    }
    jpeg_create_decompress(&codec);
    jpeg_mem_src(&codec, data, (unsigned long)length);
    jpeg_save_markers(&codec, JPEG_APP0 + 1, 0xffff);
    jpeg_read_header(&codec, TRUE);

    lumen_codec_status status = lumen_check_dimensions(codec.image_width, codec.image_height, image->message);
    if (status == LUMEN_CODEC_OK) {
        switch (codec.jpeg_color_space) {
        case JCS_GRAYSCALE:
            codec.out_color_space = JCS_GRAYSCALE;
            break;
        case JCS_YCbCr:
        case JCS_RGB:
            codec.out_color_space = JCS_RGB;
            break;
        case JCS_CMYK:
        case JCS_YCCK:
            codec.out_color_space = JCS_CMYK;
            break;
        default:
            status = lumen_fail(image->message, LUMEN_CODEC_UNSUPPORTED,
                                "%d-component JPEG in an unknown colour space", codec.num_components);
        }
    }
    if (status == LUMEN_CODEC_OK) read_scanlines(&codec, image);
    jpeg_destroy_decompress(&codec);
    return status;
}

// A growable in-memory destination. jpeg_mem_dest is not used because, after
// an error, its current buffer is reachable only through private fields.
typedef struct {
    struct jpeg_destination_mgr base;
    lumen_encoded_buffer *output;
    size_t capacity;
    JOCTET chunk[65536];
} lumen_jpeg_destination;

static void start_destination(j_compress_ptr codec) {
    lumen_jpeg_destination *destination = (lumen_jpeg_destination *)codec->dest;
    destination->base.next_output_byte = destination->chunk;
    destination->base.free_in_buffer = sizeof destination->chunk;
}

static void append_chunk(j_compress_ptr codec, size_t count) {
    lumen_jpeg_destination *destination = (lumen_jpeg_destination *)codec->dest;
    if (!lumen_buffer_append(destination->output, &destination->capacity, destination->chunk, count)) {
        ERREXIT(codec, JERR_OUT_OF_MEMORY);
    }
}

static boolean flush_destination(j_compress_ptr codec) {
    append_chunk(codec, sizeof ((lumen_jpeg_destination *)codec->dest)->chunk);
    start_destination(codec);
    return TRUE;
}

static void finish_destination(j_compress_ptr codec) {
    lumen_jpeg_destination *destination = (lumen_jpeg_destination *)codec->dest;
    append_chunk(codec, sizeof destination->chunk - destination->base.free_in_buffer);
}

lumen_codec_status lumen_jpeg_encode(const uint8_t *pixels, int width, int height, int channels,
                                     int quality, lumen_encoded_buffer *output) {
    memset(output, 0, sizeof *output);
    if ((channels != 1 && channels != 3) || quality < 1 || quality > 100 || width < 1 || height < 1 ||
        width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION) {
        return lumen_fail(output->message, LUMEN_CODEC_UNSUPPORTED,
                          "cannot encode %d x %d pixels, %d channels, quality %d", width, height, channels, quality);
    }
    struct jpeg_compress_struct codec;
    lumen_jpeg_error error;
    lumen_jpeg_destination *destination = malloc(sizeof *destination);
    if (destination == NULL) return lumen_fail(output->message, LUMEN_CODEC_OUT_OF_MEMORY, "out of memory");
    destination->base.init_destination = start_destination;
    destination->base.empty_output_buffer = flush_destination;
    destination->base.term_destination = finish_destination;
    destination->output = output;
    destination->capacity = 0;
    codec.err = &error.base;
    install_error_handler(&error, output->message);
    if (setjmp(error.jump)) {
        jpeg_destroy_compress(&codec);
        free(destination);
        lumen_encoded_buffer_free(output);
        return LUMEN_CODEC_CORRUPT;
    }
    jpeg_create_compress(&codec);
    codec.dest = &destination->base;
    codec.image_width = (JDIMENSION)width;
    codec.image_height = (JDIMENSION)height;
    codec.input_components = channels;
    codec.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&codec);
    jpeg_set_quality(&codec, quality, TRUE);
    jpeg_start_compress(&codec, TRUE);
    size_t row_bytes = (size_t)width * channels;
    while (codec.next_scanline < codec.image_height) {
        // libjpeg's row type is not const, but compression only reads it.
        JSAMPROW row = (JSAMPROW)pixels + row_bytes * codec.next_scanline;
        jpeg_write_scanlines(&codec, &row, 1);
    }
    jpeg_finish_compress(&codec);
    jpeg_destroy_compress(&codec);
    free(destination);
    return LUMEN_CODEC_OK;
}
