#include "codec_support.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

lumen_codec_status lumen_fail(char *message, lumen_codec_status status, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, LUMEN_CODEC_MESSAGE_LENGTH, format, arguments);
    va_end(arguments);
    return status;
}

static _Atomic uint64_t max_pixels = LUMEN_CODEC_MAX_PIXELS;

void lumen_codec_set_max_pixels(uint64_t pixels) {
    atomic_store(&max_pixels, pixels < 1 ? 1 : pixels > LUMEN_CODEC_MAX_PIXELS ? LUMEN_CODEC_MAX_PIXELS : pixels);
}

uint64_t lumen_codec_max_pixels(void) { return atomic_load(&max_pixels); }

lumen_codec_status lumen_check_dimensions(uint64_t width, uint64_t height, char *message) {
    if (width == 0 || height == 0) {
        return lumen_fail(message, LUMEN_CODEC_ZERO_SIZE, "image is %llu x %llu pixels",
                          (unsigned long long)width, (unsigned long long)height);
    }
    // Both factors are below 2^32, so the product cannot overflow 64 bits.
    uint64_t limit = lumen_codec_max_pixels();
    if (width * height > limit) {
        return lumen_fail(message, LUMEN_CODEC_TOO_LARGE, "image is %llu x %llu pixels, more than the decoding limit of %llu",
                          (unsigned long long)width, (unsigned long long)height, (unsigned long long)limit);
    }
    return LUMEN_CODEC_OK;
}

int lumen_buffer_append(lumen_encoded_buffer *output, size_t *capacity, const uint8_t *bytes, size_t count) {
    if (output->length + count > *capacity) {
        size_t grown = *capacity < 4096 ? 4096 : *capacity;
        while (grown < output->length + count) grown *= 2;
        uint8_t *resized = realloc(output->bytes, grown);
        if (resized == NULL) return 0;
        output->bytes = resized;
        *capacity = grown;
    }
    memcpy(output->bytes + output->length, bytes, count);
    output->length += count;
    return 1;
}

void lumen_decoded_image_free(lumen_decoded_image *image) {
    free(image->pixels);
    free(image->exif);
    image->pixels = NULL;
    image->exif = NULL;
    image->exif_length = 0;
}

void lumen_encoded_buffer_free(lumen_encoded_buffer *output) {
    free(output->bytes);
    output->bytes = NULL;
    output->length = 0;
}
