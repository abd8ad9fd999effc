// Reading one TIFF directory into a decoded image; used by tiff_codec.c.
#ifndef CIMAGECODECS_TIFF_PAGE_H
#define CIMAGECODECS_TIFF_PAGE_H

#include "codec_support.h"

#include <tiffio.h>

/// Decodes the current directory of an open TIFF into `image`; on failure the caller frees `image`.
lumen_codec_status lumen_tiff_read_page(TIFF *tiff, lumen_decoded_image *image);

#endif
