#!/usr/bin/env python3
"""Writes the small reference files of Tests/LumenIOTests/Formats/.

Every file is a 32x24 crop of Resources/samples/astronaut-dark.jpg (public
domain) in one format and layout, written by Pillow, libtiff's tools (tiffcp,
raw2tiff: Debian's libtiff-tools) or, for BMP layouts Pillow cannot write
(RLE4/RLE8, 16-bit, top-down, V5 alpha, OS/2), packed here by hand and checked
by decoding with Pillow; the YCCK JPEG comes from a few lines of C over libjpeg
(needs cc and libjpeg-dev). Next to each file, `NAME.png` holds the pixels Pillow
decodes from it (the expected values); the tests compare Lumen's decoding
with those, exactly for lossless formats.

Usage: python3 scripts/make-format-fixtures.py   (needs Pillow; run from the repository root)
"""
import io
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

from PIL import Image, ImageOps

OUT = Path("Tests/LumenIOTests/Formats")
SOURCE = Path("Resources/samples/astronaut-dark.jpg")
W, H = 32, 24


def crop():
    photo = Image.open(SOURCE).convert("RGB")
    return photo.crop((416, 352, 416 + W, 352 + H))  # the brightest, most varied crop


def with_alpha(image):
    """RGBA whose alpha is a diagonal ramp with a transparent first column."""
    alpha = Image.new("L", image.size)
    alpha.putdata([0 if x == 0 else min(255, 40 + 7 * x + 3 * y) for y in range(H) for x in range(W)])
    rgba = image.convert("RGBA")
    rgba.putalpha(alpha)
    return rgba


def save(image, name, **options):
    image.save(OUT / name, **options)
    reference(name)


def reference(name):
    """`name.png`: the pixels Pillow decodes from `name`, as gray, RGB or RGBA (BMP is read
    as RGB or RGBA)."""
    decoded = Image.open(OUT / name)
    decoded.seek(0)
    decoded.load()
    if decoded.mode == "1" and name.endswith(".tif"):
        decoded = decoded.convert("L")
    elif decoded.mode in ("P", "1", "CMYK", "L") and not (decoded.mode == "L" and name.endswith(".tif")):
        decoded = decoded.convert("RGBA" if "transparency" in decoded.info else "RGB")
    decoded.save(OUT / (name + ".png"))


def png16(name, width, height, channels, samples):
    """A 16-bit PNG written by hand (Pillow has no 16-bit RGB mode)."""
    color_type = {1: 0, 3: 2}[channels]
    rows = b"".join(b"\0" + struct.pack(">%dH" % (width * channels), *samples[y * width * channels:(y + 1) * width * channels])
                    for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 16, color_type, 0, 0, 0)
    (OUT / name).write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
                             + chunk(b"IEND", b""))


def tiff(rgb):
    save(rgb, "rgb-deflate.tif", compression="tiff_adobe_deflate")
    save(rgb, "rgb-lzw.tif", compression="tiff_lzw")
    save(rgb, "rgb-packbits.tif", compression="packbits")
    save(rgb, "rgb-jpeg.tif", compression="jpeg", quality=95)
    save(with_alpha(rgb), "rgba.tif", compression="tiff_adobe_deflate")
    save(rgb.convert("L"), "gray.tif", compression="tiff_lzw")
    save(with_alpha(rgb).convert("LA"), "gray-alpha.tif", compression="tiff_adobe_deflate")
    save(rgb.quantize(16), "palette.tif")
    save(rgb.convert("L").point(lambda v: 255 if v > 40 else 0).convert("1"), "bilevel.tif", compression="group4")
    gray16 = Image.new("I;16", (W, H))
    gray16.putdata([min(65535, v * 257 + 13 * x) for (x, v) in
                    ((i % W, v) for i, v in enumerate(rgb.convert("L").get_flattened_data()))])
    save(gray16, "gray16.tif", compression="tiff_adobe_deflate")
    pages = [rgb, rgb.transpose(Image.Transpose.ROTATE_180)]
    pages[0].save(OUT / "multipage.tif", save_all=True, append_images=pages[1:], compression="tiff_lzw")
    reference("multipage.tif")
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "plain.tif"
        rgb.save(plain)
        subprocess.run(["tiffcp", "-p", "separate", "-c", "lzw", str(plain), str(OUT / "rgb-planar.tif")], check=True)
        subprocess.run(["tiffcp", "-t", "-w", "16", "-l", "16", "-c", "zip", str(plain), str(OUT / "rgb-tiled.tif")],
                       check=True)
        # 16-bit RGB from the 8-bit crop, low bits varied so that a wrong depth shows.
        samples = [v * 257 - (i % 7) if v else 0 for i, v in enumerate(b for p in rgb.get_flattened_data() for b in p)]
        raw = Path(folder) / "rgb16.raw"
        raw.write_bytes(struct.pack("<%dH" % len(samples), *samples))
        subprocess.run(["raw2tiff", "-w", str(W), "-l", str(H), "-b", "3", "-d", "short", "-L", "-p", "rgb",
                        "-c", "zip", str(raw), str(OUT / "rgb16.tif")], check=True)
        # Orientation 6 (stored rotated; displayed after a quarter turn clockwise), striped and tiled.
        rgb.save(OUT / "oriented.tif", tiffinfo={274: 6})
        subprocess.run(["tiffcp", "-t", "-w", "16", "-l", "16", "-c", "jpeg:95", str(OUT / "oriented.tif"),
                        str(OUT / "oriented-tiled.tif")], check=True)
    for name in ("rgb-planar.tif", "rgb-tiled.tif"):
        reference(name)
    for name in ("oriented.tif", "oriented-tiled.tif"):
        upright = ImageOps.exif_transpose(Image.open(OUT / name))
        upright.save(OUT / (name + ".png"))
    png16("rgb16.tif.png", W, H, 3, samples)


def webp(rgb):
    save(rgb, "lossless.webp", lossless=True)
    save(with_alpha(rgb), "lossless-alpha.webp", lossless=True, exact=True)
    save(rgb, "lossy.webp", quality=90)
    save(with_alpha(rgb), "lossy-alpha.webp", quality=90)
    frames = [rgb, rgb.transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    frames[0].save(OUT / "animated.webp", save_all=True, append_images=frames[1:], duration=100, lossless=True)


def bmp_file(header, palette, pixels, bits, compression=0, height=H, masks=b""):
    """A BMP from raw parts: `header` is 40, 108, 124 or 12 (OS/2) bytes long."""
    if header == 12:
        info = struct.pack("<IHHHH", 12, W, height, 1, bits)
    else:
        info = struct.pack("<IiiHHIIiiII", header, W, height, 1, bits, compression, len(pixels), 2835, 2835,
                           len(palette) // 4, 0)
        info += masks + b"\0" * (header - 40 - len(masks))
    offset = 14 + len(info) + len(palette)
    return b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset) + info + palette + pixels


def rows_bottom_up(rows):
    return b"".join(row + b"\0" * (-len(row) % 4) for row in reversed(rows))


def rle(rows, four):
    """BI_RLE8 (or BI_RLE4) with encoded runs, absolute runs and one delta."""
    out = bytearray()
    for y, row in enumerate(reversed(rows)):
        x = 0
        if y == 3:
            out += b"\0\2\5\0"  # a delta: skip 5 pixels, which keep palette entry 0
            x = 5
        while x < len(row):
            run = 1
            while x + run < len(row) and run < 255 and row[x + run] == row[x] if not four else \
                    x + run < len(row) and run < 255 and row[x + run] == row[x + run % 2]:
                run += 1
            if run >= 3 or len(row) - x < 3:
                value = (row[x] << 4 | row[x + 1 if x + 1 < len(row) else x]) if four else row[x]
                out += bytes([run, value])
                x += run
            else:
                count = min(len(row) - x, 8)
                chunk = row[x:x + count]
                data = bytes(chunk[i] << 4 | (chunk[i + 1] if i + 1 < count else 0) for i in range(0, count, 2)) \
                    if four else bytes(chunk)
                out += bytes([0, count]) + data + b"\0" * (len(data) % 2)
                x += count
        out += b"\0\0"
    return bytes(out[:-2]) + b"\0\1"


def bmp(rgb):
    save(rgb, "rgb24.bmp")
    save(rgb.quantize(200), "palette8.bmp")
    save(rgb.convert("L").point(lambda v: 255 if v > 40 else 0).convert("1"), "bilevel.bmp")
    pixels = list(rgb.get_flattened_data())
    bgr_rows = [b"".join(bytes((b, g, r)) for (r, g, b) in pixels[y * W:(y + 1) * W]) for y in range(H)]

    def write(name, data):
        (OUT / name).write_bytes(data)
        reference(name)

    write("top-down.bmp", bmp_file(40, b"", b"".join(row + b"\0" * (-len(row) % 4) for row in bgr_rows), 24, height=-H))
    write("os2.bmp", bmp_file(12, b"", rows_bottom_up(bgr_rows), 24))
    rgb555 = [struct.pack("<H", (r >> 3) << 10 | (g >> 3) << 5 | b >> 3) for (r, g, b) in pixels]
    write("rgb555.bmp", bmp_file(40, b"", rows_bottom_up([b"".join(rgb555[y * W:(y + 1) * W]) for y in range(H)]), 16))
    rgb565 = [struct.pack("<H", (r >> 3) << 11 | (g >> 2) << 5 | b >> 3) for (r, g, b) in pixels]
    write("rgb565.bmp", bmp_file(40, b"", rows_bottom_up([b"".join(rgb565[y * W:(y + 1) * W]) for y in range(H)]), 16,
                                 compression=3, masks=struct.pack("<III", 0xF800, 0x07E0, 0x001F)))
    rgba = list(with_alpha(rgb).get_flattened_data())
    bgra_rows = [b"".join(bytes((b, g, r, a)) for (r, g, b, a) in rgba[y * W:(y + 1) * W]) for y in range(H)]
    masks = struct.pack("<IIIII", 0xFF0000, 0xFF00, 0xFF, 0xFF000000, 0x73524742)
    write("v5-alpha.bmp", bmp_file(124, b"", rows_bottom_up(bgra_rows), 32, compression=3, masks=masks))
    for name, colours, bits in (("palette4.bmp", 16, 4), ("rle4.bmp", 16, 4), ("rle8.bmp", 200, 8)):
        indexed = rgb.quantize(colours)
        flat = indexed.getpalette()[:colours * 3]
        palette = b"".join(bytes((flat[i + 2], flat[i + 1], flat[i], 0)) for i in range(0, len(flat), 3))
        data = list(indexed.get_flattened_data())
        rows = [data[y * W:(y + 1) * W] for y in range(H)]
        if name.startswith("rle"):
            write(name, bmp_file(40, palette, rle(rows, bits == 4), bits, compression=2 if bits == 4 else 1))
        else:
            packed = [bytes(row[i] << 4 | row[i + 1] for i in range(0, W, 2)) for row in rows]
            write(name, bmp_file(40, palette, rows_bottom_up(packed), 4))


def cmyk_jpeg(rgb):
    """A CMYK JPEG (Pillow stores it inverted, with an Adobe APP14 segment), and the RGB
    Lumen should make of the CMYK samples Pillow decodes: (255 - C)(255 - K) / 255."""
    rgb.convert("CMYK").save(OUT / "cmyk.jpg", quality=95)
    cmyk = Image.open(OUT / "cmyk.jpg")
    expected = Image.new("RGB", (W, H))
    expected.putdata([tuple(((255 - c) * (255 - k) + 127) // 255 for c in (c, m, y)) for (c, m, y, k) in cmyk.get_flattened_data()])
    expected.save(OUT / "cmyk.jpg.png")


# Pillow cannot write YCCK, so a few lines of C drive libjpeg directly: the samples are
# Adobe-inverted CMYK, 4:4:4, and libjpeg adds the APP14 marker (transform 2, YCCK).
YCCK_WRITER = r"""
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>
int main(int argc, char **argv) {
    int width = atoi(argv[1]), height = atoi(argv[2]);
    unsigned char *pixels = malloc((size_t)width * height * 4);
    if (fread(pixels, 4, (size_t)width * height, stdin) != (size_t)width * height) return 1;
    struct jpeg_compress_struct codec;
    struct jpeg_error_mgr error;
    codec.err = jpeg_std_error(&error);
    jpeg_create_compress(&codec);
    jpeg_stdio_dest(&codec, stdout);
    codec.image_width = width;
    codec.image_height = height;
    codec.input_components = 4;
    codec.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&codec);
    jpeg_set_colorspace(&codec, JCS_YCCK);
    for (int i = 0; i < 4; i++) codec.comp_info[i].h_samp_factor = codec.comp_info[i].v_samp_factor = 1;
    jpeg_set_quality(&codec, 98, TRUE);
    jpeg_start_compress(&codec, TRUE);
    for (int y = 0; y < height; y++) {
        JSAMPROW row = pixels + (size_t)y * width * 4;
        jpeg_write_scanlines(&codec, &row, 1);
    }
    jpeg_finish_compress(&codec);
    return 0;
}
"""


def ycck_jpeg():
    """A YCCK JPEG of the CMYK samples in cmyk.jpg; expected RGB as for cmyk.jpg."""
    cmyk = Image.open(OUT / "cmyk.jpg")
    inverted = bytes(255 - v for pixel in cmyk.get_flattened_data() for v in pixel)
    with tempfile.TemporaryDirectory() as folder:
        source, program = Path(folder) / "ycck.c", Path(folder) / "ycck"
        source.write_text(YCCK_WRITER)
        subprocess.run(["cc", "-O1", "-o", str(program), str(source), "-ljpeg"], check=True)
        jpeg = subprocess.run([str(program), str(W), str(H)], input=inverted, capture_output=True, check=True).stdout
    (OUT / "ycck.jpg").write_bytes(jpeg)
    (OUT / "ycck.jpg.png").write_bytes((OUT / "cmyk.jpg.png").read_bytes())


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rgb = crop()
    rgb.save(OUT / "rgb.png")
    with_alpha(rgb).save(OUT / "rgba.png")
    tiff(rgb)
    webp(rgb)
    bmp(rgb)
    cmyk_jpeg(rgb)
    ycck_jpeg()
    total = sum(path.stat().st_size for path in OUT.iterdir())
    print(f"wrote {len(list(OUT.iterdir()))} files, {total} bytes, into {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
