#include "codec_support.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiff_page.h"

// The largest single buffer libtiff may allocate for one file (a strip, a tile,
// a tag array): a forged header cannot make it reserve gigabytes.
#define LUMEN_TIFF_MAX_ALLOCATION ((tmsize_t)256 << 20)

// A TIFF file in memory: read from `data`, or written into `output`.
typedef struct {
    const uint8_t *data;
    uint64_t length;
    uint64_t offset;
    lumen_encoded_buffer *output;
    size_t capacity;
} tiff_memory;

static tmsize_t read_memory(thandle_t handle, void *buffer, tmsize_t size) {
    tiff_memory *memory = handle;
    if (memory->data == NULL || size < 0 || memory->offset >= memory->length) return 0;
    uint64_t count = memory->length - memory->offset;
    if ((uint64_t)size < count) count = (uint64_t)size;
    memcpy(buffer, memory->data + memory->offset, (size_t)count);
    memory->offset += count;
    return (tmsize_t)count;
}

// Writes at the current offset, zero-filling any gap a seek past the end left.
static tmsize_t write_memory(thandle_t handle, void *buffer, tmsize_t size) {
    tiff_memory *memory = handle;
    lumen_encoded_buffer *output = memory->output;
    if (output == NULL || size < 0) return -1;
    uint64_t end = memory->offset + (uint64_t)size;
    if (end > SIZE_MAX / 2) return -1;
    if (end > memory->capacity) {
        size_t grown = memory->capacity < 4096 ? 4096 : memory->capacity;
        while (grown < end) grown *= 2;
        uint8_t *resized = realloc(output->bytes, grown);
        if (resized == NULL) return -1;
        output->bytes = resized;
        memory->capacity = grown;
    }
    if (memory->offset > output->length) memset(output->bytes + output->length, 0, memory->offset - output->length);
    memcpy(output->bytes + memory->offset, buffer, (size_t)size);
    memory->offset = end;
    if (end > output->length) output->length = (size_t)end;
    return size;
}

static uint64_t memory_size(thandle_t handle) {
    tiff_memory *memory = handle;
    return memory->output != NULL ? memory->output->length : memory->length;
}

static toff_t seek_memory(thandle_t handle, toff_t offset, int whence) {
    tiff_memory *memory = handle;
    uint64_t base = whence == SEEK_CUR ? memory->offset : whence == SEEK_END ? memory_size(handle) : 0;
    if (offset > UINT64_MAX / 4 || base > UINT64_MAX / 4) return (toff_t)-1;
    memory->offset = base + offset;
    return memory->offset;
}

static int close_memory(thandle_t handle) {
    (void)handle;
    return 0;
}

static toff_t size_of_memory(thandle_t handle) { return memory_size(handle); }

// Reading maps the caller's buffer directly, so libtiff checks strip sizes against it.
static int map_memory(thandle_t handle, void **base, toff_t *size) {
    tiff_memory *memory = handle;
    if (memory->data == NULL) return 0;
    *base = (void *)memory->data;
    *size = memory->length;
    return 1;
}

static void unmap_memory(thandle_t handle, void *base, toff_t size) {
    (void)handle;
    (void)base;
    (void)size;
}

// Keeps libtiff's first error (usually the most specific); returning 1 stops it
// from also calling the global handler, which prints to stderr.
static int on_tiff_error(TIFF *tiff, void *user_data, const char *module, const char *format, va_list arguments) {
    (void)tiff;
    char *message = user_data;
    if (message[0] != 0) return 1;
    char text[LUMEN_CODEC_MESSAGE_LENGTH];
    vsnprintf(text, sizeof text, format, arguments);
    if (module != NULL) {
        lumen_fail(message, LUMEN_CODEC_CORRUPT, "%s: %s", module, text);
    } else {
        lumen_fail(message, LUMEN_CODEC_CORRUPT, "%s", text);
    }
    return 1;
}

static int on_tiff_warning(TIFF *tiff, void *user_data, const char *module, const char *format, va_list arguments) {
    (void)tiff;
    (void)user_data;
    (void)module;
    (void)format;
    (void)arguments;
    return 1;
}

// A few libtiff paths still report through the process-wide handlers, whose
// default prints to stderr; Lumen removes them once.
static pthread_once_t silence_once = PTHREAD_ONCE_INIT;

static void silence_global_handlers(void) {
    TIFFSetErrorHandler(NULL);
    TIFFSetWarningHandler(NULL);
}

static TIFF *open_memory(tiff_memory *memory, const char *mode, char *message) {
    pthread_once(&silence_once, silence_global_handlers);
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (options == NULL) return NULL;
    TIFFOpenOptionsSetErrorHandlerExtR(options, on_tiff_error, message);
    TIFFOpenOptionsSetWarningHandlerExtR(options, on_tiff_warning, NULL);
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, LUMEN_TIFF_MAX_ALLOCATION);
    TIFF *tiff = TIFFClientOpenExt("TIFF", mode, memory, read_memory, write_memory, seek_memory, close_memory,
                                   size_of_memory, map_memory, unmap_memory, options);
    TIFFOpenOptionsFree(options);
    return tiff;
}

lumen_codec_status lumen_tiff_decode(const uint8_t *data, size_t length, lumen_decoded_image *image) {
    memset(image, 0, sizeof *image);
    tiff_memory memory = {data, length, 0, NULL, 0};
    TIFF *tiff = open_memory(&memory, "r", image->message);
    if (tiff == NULL) {
        if (image->message[0] == 0) lumen_fail(image->message, LUMEN_CODEC_CORRUPT, "cannot open");
        return LUMEN_CODEC_CORRUPT;
    }
    lumen_codec_status status = lumen_tiff_read_page(tiff, image);
    TIFFClose(tiff);
    if (status != LUMEN_CODEC_OK) lumen_decoded_image_free(image);
    return status;
}

static lumen_codec_status fail_write(TIFF *tiff, uint8_t *row, lumen_encoded_buffer *output) {
    free(row);
    TIFFClose(tiff);
    lumen_encoded_buffer_free(output);
    if (output->message[0] == 0) lumen_fail(output->message, LUMEN_CODEC_CORRUPT, "write failed");
    return LUMEN_CODEC_CORRUPT;
}

lumen_codec_status lumen_tiff_encode(const void *pixels, int width, int height, int channels,
                                     int bit_depth, lumen_encoded_buffer *output) {
    memset(output, 0, sizeof *output);
    if (channels < 1 || channels > 4 || (bit_depth != 8 && bit_depth != 16) || width < 1 || height < 1) {
        return lumen_fail(output->message, LUMEN_CODEC_UNSUPPORTED, "cannot encode %d x %d pixels, %d channels, %d-bit",
                          width, height, channels, bit_depth);
    }
    tiff_memory memory = {NULL, 0, 0, output, 0};
    TIFF *tiff = open_memory(&memory, "w", output->message);
    if (tiff == NULL) {
        lumen_encoded_buffer_free(output);
        return lumen_fail(output->message, LUMEN_CODEC_OUT_OF_MEMORY, "cannot create a TIFF");
    }
    uint16_t unassociated_alpha = EXTRASAMPLE_UNASSALPHA;
    TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, (uint32_t)width);
    TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, (uint32_t)height);
    TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, (uint16_t)channels);
    TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, (uint16_t)bit_depth);
    TIFFSetField(tiff, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT);
    TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, channels <= 2 ? PHOTOMETRIC_MINISBLACK : PHOTOMETRIC_RGB);
    TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tiff, TIFFTAG_ORIENTATION, ORIENTATION_TOPLEFT);
    TIFFSetField(tiff, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
    TIFFSetField(tiff, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
    if (channels == 2 || channels == 4) TIFFSetField(tiff, TIFFTAG_EXTRASAMPLES, 1, &unassociated_alpha);
    TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(tiff, 0));
    size_t row_bytes = (size_t)width * channels * (bit_depth / 8);
    // The predictor differences the row in place, so each row is copied first.
    uint8_t *row = malloc(row_bytes);
    if (row == NULL) return fail_write(tiff, row, output);
    for (int y = 0; y < height; y++) {
        memcpy(row, (const uint8_t *)pixels + row_bytes * y, row_bytes);
        if (TIFFWriteScanline(tiff, row, (uint32_t)y, 0) < 0) return fail_write(tiff, row, output);
    }
    if (!TIFFFlush(tiff)) return fail_write(tiff, row, output);
    free(row);
    TIFFClose(tiff);
    return LUMEN_CODEC_OK;
}
