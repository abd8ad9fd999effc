#include "codec_support.h"

#include <stdarg.h>
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

lumen_codec_status lumen_check_dimensions(uint64_t width, uint64_t height, char *message) {
    if (width == 0 || height == 0) {
        return lumen_fail(message, LUMEN_CODEC_ZERO_SIZE, "image is %llu x %llu pixels",
                          (unsigned long long)width, (unsigned long long)height);
    }
    // Both factors are below 2^32, so the product cannot overflow 64 bits.
    if (width * height > LUMEN_CODEC_MAX_PIXELS) {
        return lumen_fail(message, LUMEN_CODEC_TOO_LARGE, "image is %llu x %llu pixels, more than %llu",
                          (unsigned long long)width, (unsigned long long)height, LUMEN_CODEC_MAX_PIXELS);
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
