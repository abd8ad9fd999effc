#include "codec_support.h"

#include <stdlib.h>
#include <string.h>

#include <webp/decode.h>
#include <webp/encode.h>

// libwebp reports failures as status codes and never prints, so no handlers are needed.
static const char *status_text(VP8StatusCode status) {
    switch (status) {
    case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
    case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR: return "bitstream error";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature";
    case VP8_STATUS_SUSPENDED: return "suspended";
    case VP8_STATUS_USER_ABORT: return "aborted";
    case VP8_STATUS_NOT_ENOUGH_DATA: return "not enough data";
    default: return "unknown error";
    }
}

lumen_codec_status lumen_webp_decode(const uint8_t *data, size_t length, lumen_decoded_image *image) {
    memset(image, 0, sizeof *image);
    WebPBitstreamFeatures features;
    VP8StatusCode header = WebPGetFeatures(data, length, &features);
    if (header != VP8_STATUS_OK) {
        return lumen_fail(image->message, LUMEN_CODEC_CORRUPT, "header: %s", status_text(header));
    }
    if (features.has_animation) {
        return lumen_fail(image->message, LUMEN_CODEC_UNSUPPORTED,
                          "animated WebP is not supported; extract a frame first");
    }
    lumen_codec_status status = lumen_check_dimensions((uint64_t)features.width, (uint64_t)features.height,
                                                       image->message);
    if (status != LUMEN_CODEC_OK) return status;

    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config)) {
        return lumen_fail(image->message, LUMEN_CODEC_UNSUPPORTED, "libwebp version mismatch");
    }
    image->width = features.width;
    image->height = features.height;
    image->channels = features.has_alpha ? 4 : 3;
    image->bit_depth = 8;
    size_t row_bytes = (size_t)image->width * image->channels;
    size_t size = row_bytes * image->height;
    image->pixels = malloc(size);
    if (image->pixels == NULL) return lumen_fail(image->message, LUMEN_CODEC_OUT_OF_MEMORY, "out of memory");
    // Decoding into our own buffer means libwebp allocates no output to free.
    config.output.colorspace = features.has_alpha ? MODE_RGBA : MODE_RGB;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = image->pixels;
    config.output.u.RGBA.stride = (int)row_bytes;
    config.output.u.RGBA.size = size;
    VP8StatusCode decoded = WebPDecode(data, length, &config);
    WebPFreeDecBuffer(&config.output);
    if (decoded != VP8_STATUS_OK) {
        lumen_decoded_image_free(image);
        return lumen_fail(image->message, LUMEN_CODEC_CORRUPT, "%s", status_text(decoded));
    }
    return LUMEN_CODEC_OK;
}

lumen_codec_status lumen_webp_encode(const uint8_t *pixels, int width, int height, int channels,
                                     int quality, lumen_encoded_buffer *output) {
    memset(output, 0, sizeof *output);
    if ((channels != 3 && channels != 4) || quality < 1 || quality > 100 || width < 1 || height < 1 ||
        width > WEBP_MAX_DIMENSION || height > WEBP_MAX_DIMENSION) {
        return lumen_fail(output->message, LUMEN_CODEC_UNSUPPORTED,
                          "cannot encode %d x %d pixels, %d channels, quality %d (WebP is at most %d pixels a side)",
                          width, height, channels, quality, WEBP_MAX_DIMENSION);
    }
    WebPConfig config;
    WebPPicture picture;
    if (!WebPConfigInit(&config) || !WebPPictureInit(&picture)) {
        return lumen_fail(output->message, LUMEN_CODEC_UNSUPPORTED, "libwebp version mismatch");
    }
    if (quality == 100) {
        config.lossless = 1;
        config.exact = 1;
        config.quality = 75;
    } else {
        config.quality = (float)quality;
    }
    picture.use_argb = config.lossless;
    picture.width = width;
    picture.height = height;
    int imported = channels == 4 ? WebPPictureImportRGBA(&picture, pixels, width * 4)
                                 : WebPPictureImportRGB(&picture, pixels, width * 3);
    if (!imported) {
        WebPPictureFree(&picture);
        return lumen_fail(output->message, LUMEN_CODEC_OUT_OF_MEMORY, "out of memory");
    }
    WebPMemoryWriter writer;
    WebPMemoryWriterInit(&writer);
    picture.writer = WebPMemoryWrite;
    picture.custom_ptr = &writer;
    int encoded = WebPEncode(&config, &picture);
    int error = picture.error_code;
    WebPPictureFree(&picture);
    if (!encoded) {
        WebPMemoryWriterClear(&writer);
        return lumen_fail(output->message, LUMEN_CODEC_CORRUPT, "encoder error %d", error);
    }
    // Copied, so that lumen_encoded_buffer_free never frees memory libwebp allocated.
    size_t capacity = 0;
    int copied = lumen_buffer_append(output, &capacity, writer.mem, writer.size);
    WebPMemoryWriterClear(&writer);
    return copied ? LUMEN_CODEC_OK : lumen_fail(output->message, LUMEN_CODEC_OUT_OF_MEMORY, "out of memory");
}
