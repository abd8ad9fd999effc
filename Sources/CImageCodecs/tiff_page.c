#include "tiff_page.h"

#include <stdlib.h>
#include <string.h>

// What the tags of one page say about its samples.
typedef struct {
    uint32_t width, height;
    uint16_t samples_per_pixel, bits, photometric, planar, sample_format;
    /// Colour samples per pixel as stored: 1 for gray and palette, 3 for RGB.
    int color_samples;
    int has_alpha, associated_alpha;
} tiff_layout;

static void read_layout(TIFF *tiff, tiff_layout *layout) {
    memset(layout, 0, sizeof *layout);
    TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &layout->width);
    TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &layout->height);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLESPERPIXEL, &layout->samples_per_pixel);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_BITSPERSAMPLE, &layout->bits);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_PLANARCONFIG, &layout->planar);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLEFORMAT, &layout->sample_format);
    // libtiff's own RGBA reader makes the same guess for files without the tag.
    if (!TIFFGetField(tiff, TIFFTAG_PHOTOMETRIC, &layout->photometric)) {
        layout->photometric = layout->samples_per_pixel >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
    }
    uint16_t extra_count = 0;
    uint16_t *extra_types = NULL;
    TIFFGetFieldDefaulted(tiff, TIFFTAG_EXTRASAMPLES, &extra_count, &extra_types);
    switch (layout->photometric) {
    case PHOTOMETRIC_MINISBLACK:
    case PHOTOMETRIC_MINISWHITE:
    case PHOTOMETRIC_PALETTE:
        layout->color_samples = 1;
        break;
    case PHOTOMETRIC_RGB:
        layout->color_samples = 3;
        break;
    default:
        layout->color_samples = 0;
    }
    layout->has_alpha = layout->photometric != PHOTOMETRIC_PALETTE && layout->color_samples > 0 &&
                        layout->samples_per_pixel > layout->color_samples;
    layout->associated_alpha = extra_count > 0 && extra_types != NULL && extra_types[0] == EXTRASAMPLE_ASSOCALPHA;
}

// Whether the exact path below reads this page; everything else goes through libtiff's RGBA reader.
static int is_exact_layout(TIFF *tiff, const tiff_layout *layout) {
    if (TIFFIsTiled(tiff) || layout->sample_format != SAMPLEFORMAT_UINT || layout->color_samples == 0) return 0;
    if (layout->samples_per_pixel < layout->color_samples || layout->samples_per_pixel > 8) return 0;
    if (layout->bits == 8 || layout->bits == 16) return layout->photometric != PHOTOMETRIC_PALETTE || layout->bits == 8;
    return layout->color_samples == 1 && (layout->bits == 1 || layout->bits == 2 || layout->bits == 4);
}

// Sample `index` of a row packed at `bits` bits per sample, most significant bits first.
static unsigned sample_at(const uint8_t *row, size_t index, int bits) {
    if (bits == 16) return ((const uint16_t *)row)[index];
    if (bits == 8) return row[index];
    size_t bit = index * (size_t)bits;
    return (row[bit / 8] >> (8 - bits - (int)(bit % 8))) & ((1u << bits) - 1);
}

typedef struct {
    uint16_t *red, *green, *blue;
    size_t count;
} tiff_palette;

// Stores one decoded sample `value` of stored sample `sample` for pixel `x` of row `out`.
static void store(const tiff_layout *layout, const tiff_palette *palette, unsigned value, int sample,
                  size_t x, int channels, void *out) {
    uint8_t *out8 = out;
    uint16_t *out16 = out;
    size_t at = x * channels + sample;
    if (layout->photometric == PHOTOMETRIC_PALETTE) {
        // 16-bit colour-map entries hold 8-bit colours as v * 256 or v * 257.
        size_t index = value < palette->count ? value : 0;
        out8[x * 3] = (uint8_t)(palette->red[index] >> 8);
        out8[x * 3 + 1] = (uint8_t)(palette->green[index] >> 8);
        out8[x * 3 + 2] = (uint8_t)(palette->blue[index] >> 8);
        return;
    }
    unsigned maximum = (1u << layout->bits) - 1;
    if (layout->photometric == PHOTOMETRIC_MINISWHITE && sample == 0) value = maximum - value;
    if (layout->bits == 16) {
        out16[at] = (uint16_t)value;
    } else {
        out8[at] = (uint8_t)(layout->bits == 8 ? value : (value * 255 + maximum / 2) / maximum);
    }
}

// Straight alpha from premultiplied samples, in place.
static void unpremultiply(void *pixels, size_t count, int channels, int bit_depth) {
    unsigned maximum = bit_depth == 16 ? 65535u : 255u;
    for (size_t pixel = 0; pixel < count; pixel++) {
        for (int c = 0; c < channels - 1; c++) {
            size_t at = pixel * channels;
            unsigned alpha = bit_depth == 16 ? ((uint16_t *)pixels)[at + channels - 1] : ((uint8_t *)pixels)[at + channels - 1];
            unsigned color = bit_depth == 16 ? ((uint16_t *)pixels)[at + c] : ((uint8_t *)pixels)[at + c];
            unsigned straight = alpha == 0 ? 0 : (unsigned)(((uint64_t)color * maximum + alpha / 2) / alpha);
            if (straight > maximum) straight = maximum;
            if (bit_depth == 16) {
                ((uint16_t *)pixels)[at + c] = (uint16_t)straight;
            } else {
                ((uint8_t *)pixels)[at + c] = (uint8_t)straight;
            }
        }
    }
}

static lumen_codec_status read_exact(TIFF *tiff, const tiff_layout *layout, lumen_decoded_image *image) {
    tiff_palette palette = {NULL, NULL, NULL, 0};
    if (layout->photometric == PHOTOMETRIC_PALETTE) {
        if (!TIFFGetField(tiff, TIFFTAG_COLORMAP, &palette.red, &palette.green, &palette.blue)) {
            return lumen_fail(image->message, LUMEN_CODEC_CORRUPT, "palette image without a colour map");
        }
        palette.count = (size_t)1 << layout->bits;
    }
    int used = layout->color_samples + layout->has_alpha;
    int separate = layout->planar == PLANARCONFIG_SEPARATE;
    // Uncompressed rows must be in the file: checked before allocating, so a short file
    // cannot claim a huge image.
    uint16_t compression = COMPRESSION_NONE;
    TIFFGetFieldDefaulted(tiff, TIFFTAG_COMPRESSION, &compression);
    uint64_t file_size = TIFFGetSizeProc(tiff)(TIFFClientdata(tiff));
    uint64_t needed = TIFFScanlineSize64(tiff) * layout->height * (uint64_t)(separate ? used : 1);
    if (compression == COMPRESSION_NONE && needed > file_size) {
        return lumen_fail(image->message, LUMEN_CODEC_CORRUPT, "pixel data cut short (%llu bytes needed, the file has %llu)",
                          (unsigned long long)needed, (unsigned long long)file_size);
    }
    image->channels = (layout->photometric == PHOTOMETRIC_PALETTE ? 3 : layout->color_samples) + layout->has_alpha;
    image->bit_depth = layout->bits == 16 ? 16 : 8;
    size_t row_bytes = (size_t)image->width * image->channels * (image->bit_depth / 8);
    image->pixels = malloc(row_bytes * image->height);
    tmsize_t line_bytes = TIFFScanlineSize(tiff);
    uint8_t *line = line_bytes > 0 ? malloc((size_t)line_bytes) : NULL;
    if (image->pixels == NULL || line == NULL) {
        free(line);
        return lumen_fail(image->message, LUMEN_CODEC_OUT_OF_MEMORY, "out of memory");
    }
    // Planar pages are read plane by plane, so each strip is decoded once, in order.
    for (int plane = 0; plane < (separate ? used : 1); plane++) {
        for (uint32_t y = 0; y < layout->height; y++) {
            if (TIFFReadScanline(tiff, line, y, (uint16_t)plane) < 0) {
                free(line);
                if (image->message[0] == 0) lumen_fail(image->message, LUMEN_CODEC_CORRUPT, "cannot read row %u", y);
                return LUMEN_CODEC_CORRUPT;
            }
            uint8_t *out = (uint8_t *)image->pixels + row_bytes * y;
            for (size_t x = 0; x < layout->width; x++) {
                for (int sample = separate ? plane : 0; sample < (separate ? plane + 1 : used); sample++) {
                    size_t index = separate ? x : x * layout->samples_per_pixel + sample;
                    store(layout, &palette, sample_at(line, index, layout->bits), sample, x, image->channels, out);
                }
            }
        }
    }
    free(line);
    if (layout->has_alpha && layout->associated_alpha) {
        unpremultiply(image->pixels, (size_t)image->width * image->height, image->channels, image->bit_depth);
    }
    return LUMEN_CODEC_OK;
}

// Tiles, YCbCr (JPEG-compressed), CMYK, CIE Lab and odd bit depths, as 8-bit samples.
static lumen_codec_status read_through_rgba(TIFF *tiff, const tiff_layout *layout, lumen_decoded_image *image) {
    char reason[1024] = {0};
    TIFFRGBAImage rgba;
    if (!TIFFRGBAImageOK(tiff, reason) || !TIFFRGBAImageBegin(&rgba, tiff, 1, reason)) {
        return lumen_fail(image->message, LUMEN_CODEC_UNSUPPORTED, "%s", reason);
    }
    uint32_t *raster = malloc((size_t)layout->width * layout->height * sizeof *raster);
    if (raster == NULL) {
        TIFFRGBAImageEnd(&rgba);
        return lumen_fail(image->message, LUMEN_CODEC_OUT_OF_MEMORY, "out of memory");
    }
    // The page's own orientation means no flips: rows in stored order, as read_exact gives
    // them; LumenIO applies the orientation to both alike.
    rgba.req_orientation = rgba.orientation;
    int read = TIFFRGBAImageGet(&rgba, raster, layout->width, layout->height);
    int has_alpha = rgba.alpha != 0;
    TIFFRGBAImageEnd(&rgba);
    if (!read) {
        free(raster);
        if (image->message[0] == 0) lumen_fail(image->message, LUMEN_CODEC_CORRUPT, "cannot read the pixels");
        return LUMEN_CODEC_CORRUPT;
    }
    int gray = layout->photometric == PHOTOMETRIC_MINISBLACK || layout->photometric == PHOTOMETRIC_MINISWHITE;
    image->channels = (gray ? 1 : 3) + has_alpha;
    image->bit_depth = 8;
    size_t count = (size_t)layout->width * layout->height;
    uint8_t *pixels = malloc(count * image->channels);
    if (pixels == NULL) {
        free(raster);
        return lumen_fail(image->message, LUMEN_CODEC_OUT_OF_MEMORY, "out of memory");
    }
    for (size_t i = 0; i < count; i++) {
        uint8_t *out = pixels + i * image->channels;
        uint32_t packed = raster[i];
        out[0] = (uint8_t)TIFFGetR(packed);
        if (!gray) {
            out[1] = (uint8_t)TIFFGetG(packed);
            out[2] = (uint8_t)TIFFGetB(packed);
        }
        if (has_alpha) out[image->channels - 1] = (uint8_t)TIFFGetA(packed);
    }
    free(raster);
    image->pixels = pixels;
    // libtiff's RGBA reader premultiplies unassociated alpha.
    if (has_alpha) unpremultiply(pixels, count, image->channels, 8);
    return LUMEN_CODEC_OK;
}

lumen_codec_status lumen_tiff_read_page(TIFF *tiff, lumen_decoded_image *image) {
    tiff_layout layout;
    read_layout(tiff, &layout);
    lumen_codec_status status = lumen_check_dimensions(layout.width, layout.height, image->message);
    if (status != LUMEN_CODEC_OK) return status;
    image->width = (int)layout.width;
    image->height = (int)layout.height;
    uint16_t orientation = ORIENTATION_TOPLEFT;
    TIFFGetFieldDefaulted(tiff, TIFFTAG_ORIENTATION, &orientation);
    image->orientation = orientation >= 1 && orientation <= 8 ? orientation : 0;
    return is_exact_layout(tiff, &layout) ? read_exact(tiff, &layout, image) : read_through_rgba(tiff, &layout, image);
}
