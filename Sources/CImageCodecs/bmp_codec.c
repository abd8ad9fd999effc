#include "codec_support.h"

#include <stdlib.h>
#include <string.h>

// Lumen's own BMP reader: every field is read through bounds-checked helpers and
// all size arithmetic is done in 64 bits after the pixel cap, so no header can
// make it read outside `data` or allocate more than the cap allows.

enum { BI_RGB = 0, BI_RLE8 = 1, BI_RLE4 = 2, BI_BITFIELDS = 3, BI_ALPHABITFIELDS = 6 };
enum { FILE_HEADER = 14, CORE_HEADER = 12, INFO_HEADER = 40 };

static uint32_t u16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t u32(const uint8_t *p) { return u16(p) | u16(p + 2) << 16; }

// One channel's mask: where it starts and how many bits it has.
typedef struct {
    uint32_t mask;
    int shift;
    int bits;
} bmp_mask;

static int make_mask(uint32_t value, bmp_mask *mask) {
    mask->mask = value;
    mask->shift = 0;
    mask->bits = 0;
    if (value == 0) return 1;
    while (!(value & 1)) {
        value >>= 1;
        mask->shift++;
    }
    while (value & 1) {
        value >>= 1;
        mask->bits++;
    }
    // A mask with a gap (0x0F0F) describes no channel any writer produces.
    return value == 0;
}

static uint8_t masked(uint32_t pixel, const bmp_mask *mask) {
    if (mask->bits == 0) return 0;
    uint64_t value = (pixel & mask->mask) >> mask->shift;
    uint64_t maximum = ((uint64_t)1 << mask->bits) - 1;
    return (uint8_t)((value * 255 + maximum / 2) / maximum);
}

typedef struct {
    const uint8_t *data;
    size_t length;
    int64_t width, height;
    int top_down;
    uint32_t bits, compression, pixel_offset;
    bmp_mask red, green, blue, alpha;
    uint8_t palette[256][3];
    uint32_t palette_count;
    char *message;
} bmp_file;

static lumen_codec_status read_masks(bmp_file *bmp, const uint8_t *masks, int with_alpha) {
    if (!make_mask(u32(masks), &bmp->red) || !make_mask(u32(masks + 4), &bmp->green) ||
        !make_mask(u32(masks + 8), &bmp->blue) || !make_mask(with_alpha ? u32(masks + 12) : 0, &bmp->alpha)) {
        return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "colour masks are not contiguous bit runs");
    }
    uint64_t limit = bmp->bits == 32 ? UINT64_C(0xFFFFFFFF) : (UINT64_C(1) << bmp->bits) - 1;
    if ((bmp->red.mask | bmp->green.mask | bmp->blue.mask | bmp->alpha.mask) > limit) {
        return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "colour masks wider than %u bits", bmp->bits);
    }
    return LUMEN_CODEC_OK;
}

// Reads both headers, the masks and the palette.
static lumen_codec_status read_headers(bmp_file *bmp) {
    const uint8_t *data = bmp->data;
    if (bmp->length < FILE_HEADER + 4 || data[0] != 'B' || data[1] != 'M') {
        return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "missing BMP header");
    }
    bmp->pixel_offset = u32(data + 10);
    uint32_t header = u32(data + FILE_HEADER);
    int core = header == CORE_HEADER;
    if (!core && header != INFO_HEADER && header != 52 && header != 56 && header != 108 && header != 124) {
        return lumen_fail(bmp->message, LUMEN_CODEC_UNSUPPORTED, "%u-byte BMP header", header);
    }
    if (bmp->length < (size_t)FILE_HEADER + header) return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "header cut short");
    const uint8_t *info = data + FILE_HEADER;
    int64_t height;
    uint32_t planes;
    if (core) {
        bmp->width = u16(info + 4);
        height = u16(info + 6);
        planes = u16(info + 8);
        bmp->bits = u16(info + 10);
        bmp->compression = BI_RGB;
    } else {
        bmp->width = (int32_t)u32(info + 4);
        height = (int32_t)u32(info + 8);
        planes = u16(info + 12);
        bmp->bits = u16(info + 14);
        bmp->compression = u32(info + 16);
    }
    bmp->top_down = height < 0;
    bmp->height = height < 0 ? -height : height;
    if (bmp->width < 0) return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "negative width %lld", (long long)bmp->width);
    if (planes != 1) return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "%u colour planes (must be 1)", planes);
    lumen_codec_status status = lumen_check_dimensions((uint64_t)bmp->width, (uint64_t)bmp->height, bmp->message);
    if (status != LUMEN_CODEC_OK) return status;

    uint32_t bits = bmp->bits, compression = bmp->compression;
    int valid = bits == 1 || bits == 4 || bits == 8 || bits == 16 || bits == 24 || bits == 32;
    if (compression == BI_RLE8) valid = bits == 8;
    else if (compression == BI_RLE4) valid = bits == 4;
    else if (compression == BI_BITFIELDS || compression == BI_ALPHABITFIELDS) valid = bits == 16 || bits == 32;
    else if (compression != BI_RGB) {
        return lumen_fail(bmp->message, LUMEN_CODEC_UNSUPPORTED, "compression %u (JPEG or PNG inside BMP)", compression);
    }
    if (!valid) return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "%u bits per pixel with compression %u", bits, compression);
    if ((compression == BI_RLE8 || compression == BI_RLE4) && bmp->top_down) {
        return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "top-down rows cannot be run-length encoded");
    }

    // Masks follow a 40-byte header, and are part of the V2 to V5 headers.
    size_t after_header = FILE_HEADER + header;
    if (compression == BI_BITFIELDS || compression == BI_ALPHABITFIELDS) {
        int with_alpha = compression == BI_ALPHABITFIELDS || header >= 56;
        const uint8_t *masks = info + INFO_HEADER;
        if (header == INFO_HEADER) {
            size_t mask_bytes = with_alpha ? 16 : 12;
            if (bmp->length < after_header + mask_bytes) return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "masks cut short");
            after_header += mask_bytes;
        }
        status = read_masks(bmp, masks, with_alpha);
        if (status != LUMEN_CODEC_OK) return status;
    } else if (bits == 16) {
        make_mask(0x7C00, &bmp->red);
        make_mask(0x03E0, &bmp->green);
        make_mask(0x001F, &bmp->blue);
        make_mask(0, &bmp->alpha);
    } else if (bits >= 24) {
        // BI_RGB 32-bit: the fourth byte is unused, not alpha.
        make_mask(0xFF0000, &bmp->red);
        make_mask(0x00FF00, &bmp->green);
        make_mask(0x0000FF, &bmp->blue);
        make_mask(0, &bmp->alpha);
    }

    if (bits <= 8) {
        uint32_t used = core ? 0 : u32(info + 32);
        uint32_t count = used == 0 || used > (1u << bits) ? 1u << bits : used;
        size_t entry = core ? 3 : 4;
        size_t available = (bmp->length - after_header) / entry;
        if (count > available) count = (uint32_t)available;
        if (count == 0) return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "palette missing");
        for (uint32_t i = 0; i < count; i++) {
            const uint8_t *bgr = data + after_header + i * entry;
            bmp->palette[i][0] = bgr[2];
            bmp->palette[i][1] = bgr[1];
            bmp->palette[i][2] = bgr[0];
        }
        bmp->palette_count = count;
    }
    if (bmp->pixel_offset == 0 || bmp->pixel_offset > bmp->length) {
        return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "pixel data offset %u outside the file", bmp->pixel_offset);
    }
    // Checked here, before the pixels are allocated, so a short file cannot claim a huge image.
    if (compression != BI_RLE8 && compression != BI_RLE4) {
        uint64_t needed = ((uint64_t)bmp->width * bits + 31) / 32 * 4 * (uint64_t)bmp->height;
        if (needed > bmp->length - bmp->pixel_offset) {
            return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "pixel data cut short (%llu of %llu bytes)",
                              (unsigned long long)(bmp->length - bmp->pixel_offset), (unsigned long long)needed);
        }
    }
    return LUMEN_CODEC_OK;
}

// Writes the colour of palette `index` at pixel (x, row) of `pixels` (3 channels).
static lumen_codec_status put_index(bmp_file *bmp, uint8_t *pixels, size_t x, size_t row, unsigned index) {
    if (index >= bmp->palette_count) {
        return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "palette index %u of %u entries", index, bmp->palette_count);
    }
    memcpy(pixels + (row * (size_t)bmp->width + x) * 3, bmp->palette[index], 3);
    return LUMEN_CODEC_OK;
}

static lumen_codec_status read_uncompressed(bmp_file *bmp, uint8_t *pixels, int channels) {
    uint64_t stride = ((uint64_t)bmp->width * bmp->bits + 31) / 32 * 4;
    for (int64_t y = 0; y < bmp->height; y++) {
        const uint8_t *source = bmp->data + bmp->pixel_offset + stride * (uint64_t)y;
        size_t row = (size_t)(bmp->top_down ? y : bmp->height - 1 - y);
        for (int64_t x = 0; x < bmp->width; x++) {
            if (bmp->bits <= 8) {
                size_t bit = (size_t)x * bmp->bits;
                unsigned index = (source[bit / 8] >> (8 - bmp->bits - bit % 8)) & ((1u << bmp->bits) - 1);
                lumen_codec_status status = put_index(bmp, pixels, (size_t)x, row, index);
                if (status != LUMEN_CODEC_OK) return status;
                continue;
            }
            const uint8_t *p = source + (size_t)x * (bmp->bits / 8);
            uint32_t pixel = bmp->bits == 16 ? u16(p) : bmp->bits == 24 ? (u16(p) | (uint32_t)p[2] << 16) : u32(p);
            uint8_t *out = pixels + (row * (size_t)bmp->width + (size_t)x) * channels;
            out[0] = masked(pixel, &bmp->red);
            out[1] = masked(pixel, &bmp->green);
            out[2] = masked(pixel, &bmp->blue);
            if (channels == 4) out[3] = masked(pixel, &bmp->alpha);
        }
    }
    return LUMEN_CODEC_OK;
}

// BI_RLE8 and BI_RLE4: pairs (count, index) or escapes (0, code). Pixels a delta
// skips keep palette entry 0; runs past the end of a row are clipped.
static lumen_codec_status read_run_length(bmp_file *bmp, uint8_t *pixels) {
    const uint8_t *p = bmp->data + bmp->pixel_offset, *end = bmp->data + bmp->length;
    int four = bmp->compression == BI_RLE4;
    size_t width = (size_t)bmp->width, height = (size_t)bmp->height, x = 0, y = 0;
    // read_headers guarantees at least one palette entry.
    for (size_t i = 0; i < width * height; i++) memcpy(pixels + i * 3, bmp->palette[0], 3);
    while (y < height) {
        if (end - p < 2) return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "run-length data cut short");
        unsigned count = p[0], value = p[1];
        p += 2;
        if (count > 0) {
            for (unsigned i = 0; i < count && x < width; i++, x++) {
                unsigned index = four ? (i % 2 == 0 ? value >> 4 : value & 15) : value;
                lumen_codec_status status = put_index(bmp, pixels, x, height - 1 - y, index);
                if (status != LUMEN_CODEC_OK) return status;
            }
        } else if (value == 0) {
            x = 0;
            y++;
        } else if (value == 1) {
            return LUMEN_CODEC_OK;
        } else if (value == 2) {
            if (end - p < 2) return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "run-length data cut short");
            x += p[0];
            y += p[1];
            p += 2;
        } else {
            size_t bytes = four ? (value + 1) / 2 : value;
            size_t padded = bytes + (bytes & 1);
            if ((size_t)(end - p) < padded) return lumen_fail(bmp->message, LUMEN_CODEC_CORRUPT, "run-length data cut short");
            for (unsigned i = 0; i < value && x < width; i++, x++) {
                unsigned index = four ? (i % 2 == 0 ? p[i / 2] >> 4 : p[i / 2] & 15) : p[i];
                lumen_codec_status status = put_index(bmp, pixels, x, height - 1 - y, index);
                if (status != LUMEN_CODEC_OK) return status;
            }
            p += padded;
        }
    }
    // A delta or end of line can move past the last row; what follows is then ignored.
    return LUMEN_CODEC_OK;
}

lumen_codec_status lumen_bmp_decode(const uint8_t *data, size_t length, lumen_decoded_image *image) {
    memset(image, 0, sizeof *image);
    bmp_file bmp;
    memset(&bmp, 0, sizeof bmp);
    bmp.data = data;
    bmp.length = length;
    bmp.message = image->message;
    lumen_codec_status status = read_headers(&bmp);
    if (status != LUMEN_CODEC_OK) return status;
    image->width = (int)bmp.width;
    image->height = (int)bmp.height;
    image->channels = bmp.alpha.mask != 0 ? 4 : 3;
    image->bit_depth = 8;
    image->pixels = malloc((size_t)bmp.width * (size_t)bmp.height * image->channels);
    if (image->pixels == NULL) return lumen_fail(image->message, LUMEN_CODEC_OUT_OF_MEMORY, "out of memory");
    status = bmp.compression == BI_RLE8 || bmp.compression == BI_RLE4 ? read_run_length(&bmp, image->pixels)
                                                                      : read_uncompressed(&bmp, image->pixels, image->channels);
    if (status != LUMEN_CODEC_OK) lumen_decoded_image_free(image);
    return status;
}
