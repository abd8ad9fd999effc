#include "codec_support.h"

#include <stdlib.h>
#include <string.h>

static void put16(uint8_t *p, uint32_t value) {
    p[0] = (uint8_t)value;
    p[1] = (uint8_t)(value >> 8);
}

static void put32(uint8_t *p, uint32_t value) {
    put16(p, value & 0xFFFF);
    put16(p + 2, value >> 16);
}

lumen_codec_status lumen_bmp_encode(const uint8_t *pixels, int width, int height, int channels,
                                    lumen_encoded_buffer *output) {
    memset(output, 0, sizeof *output);
    // 24-bit rows are padded to 4 bytes; the whole file must fit the 32-bit size field.
    uint64_t stride = channels == 4 ? (uint64_t)width * 4 : ((uint64_t)width * 3 + 3) / 4 * 4;
    uint64_t header = channels == 4 ? 14 + 108 : 14 + 40;
    if ((channels != 3 && channels != 4) || width < 1 || height < 1 || header + stride * (uint64_t)height > UINT32_MAX) {
        return lumen_fail(output->message, LUMEN_CODEC_UNSUPPORTED, "cannot encode %d x %d pixels, %d channels as BMP",
                          width, height, channels);
    }
    size_t size = (size_t)(header + stride * (uint64_t)height);
    uint8_t *file = calloc(size, 1);
    if (file == NULL) return lumen_fail(output->message, LUMEN_CODEC_OUT_OF_MEMORY, "out of memory");
    file[0] = 'B';
    file[1] = 'M';
    put32(file + 2, (uint32_t)size);
    put32(file + 10, (uint32_t)header);
    uint8_t *info = file + 14;
    put32(info, (uint32_t)header - 14);
    put32(info + 4, (uint32_t)width);
    put32(info + 8, (uint32_t)height);
    put16(info + 12, 1);
    put16(info + 14, (uint32_t)channels * 8);
    put32(info + 16, channels == 4 ? 3 : 0);
    put32(info + 20, (uint32_t)(stride * (uint64_t)height));
    put32(info + 24, 2835);  // 72 dpi, in pixels per metre
    put32(info + 28, 2835);
    if (channels == 4) {
        // BITMAPV4HEADER: BI_BITFIELDS with an alpha mask, in the sRGB colour space.
        put32(info + 40, 0x00FF0000);
        put32(info + 44, 0x0000FF00);
        put32(info + 48, 0x000000FF);
        put32(info + 52, 0xFF000000);
        put32(info + 56, 0x73524742);
    }
    for (int y = 0; y < height; y++) {
        const uint8_t *source = pixels + (size_t)(height - 1 - y) * width * channels;
        uint8_t *row = file + header + stride * (uint64_t)y;
        for (int x = 0; x < width; x++, source += channels, row += channels) {
            row[0] = source[2];
            row[1] = source[1];
            row[2] = source[0];
            if (channels == 4) row[3] = source[3];
        }
    }
    output->bytes = file;
    output->length = size;
    return LUMEN_CODEC_OK;
}
