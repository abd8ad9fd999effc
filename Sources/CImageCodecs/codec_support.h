// Helpers shared by the codecs; not part of the public interface.
#ifndef CIMAGECODECS_SUPPORT_H
#define CIMAGECODECS_SUPPORT_H

#include "CImageCodecs.h"

/// Writes a printf-style message into a `LUMEN_CODEC_MESSAGE_LENGTH` buffer and returns `status`.
lumen_codec_status lumen_fail(char *message, lumen_codec_status status, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/// Checks decoded dimensions before anything is allocated: zero and oversized images fail.
lumen_codec_status lumen_check_dimensions(uint64_t width, uint64_t height, char *message);

/// Appends `count` bytes to `output`, growing it geometrically; returns 0 when out of memory.
int lumen_buffer_append(lumen_encoded_buffer *output, size_t *capacity, const uint8_t *bytes, size_t count);

#endif
